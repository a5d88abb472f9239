"""Themes and measures suggested from an association's own document, offline.

The document (plain text, Markdown, PDF, DOCX or ODT) is the query; each theme (its label,
description, vision and the text of its measures) and each measure (its title, text and
themes' labels) is a document. Words are reduced to their French stems (Snowball) and ranked
with BM25.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from letterkit.campaign.models import Program

# Words that say nothing of a document's subject (articles, pronouns, auxiliaries, and the
# vocabulary every plaidoyer and every program share).
STOPWORDS = frozenset("""
a à afin ai aie aient ainsi alors au aucun aussi autre autres aux avec avoir avons ayant
bien c ça car ce ceci cela celle celles celui ces cet cette ceux chaque ci comme comment d
dans de des donc dont du elle elles en encore entre est et étaient était être eu eux fait
faire font il ils j je jusqu l la le les leur leurs lui m ma mais me même mes moi mon n ne
ni nos notre nous on ont ou où par parce pas peu peut plus pour pourquoi qu quand que quel
quelle quelles quels qui sa sans se ses si son sont sous sur ta te tes toi ton tous tout
toute toutes très tu un une vos votre vous y été avez avaient sera seront serait soit
doit doivent faut
ville commune municipal municipale municipales municipaux politique politiques mesure mesures
association associations programme liste nous vous notre votre
""".split())

WORD = re.compile(r"[a-zà-öø-ÿœæç]+(?:[-'’][a-zà-öø-ÿœæç]+)*")
K1, B = 1.5, 0.75


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def words(text: str) -> list[tuple[str, str]]:
    """(stem, word) for each meaningful word of `text`."""
    found = []
    for word in WORD.findall(text.lower().replace("’", "'")):
        for part in re.split(r"['-]", word):
            if len(part) > 2 and part not in STOPWORDS:
                found.append((_stem(part), part))
    return found


def read_document(path: Path) -> str:
    """The text of a plaidoyer or questionnaire: plain text, Markdown, PDF, DOCX or ODT."""
    from letterkit.questionnaire.documents import read_document as read

    return read(path)


@dataclass(frozen=True)
class Suggestion:
    key: str | int          # a theme tag or a measure number
    score: float
    words: list[str]        # the document's words that matched, most frequent first


@dataclass
class _Index:
    """Documents stemmed once: their bags of stems, lengths, and how many hold each stem."""

    documents: dict[str | int, Counter[str]]
    lengths: dict[str | int, int]
    average: float
    having: Counter[str]

    @classmethod
    def of(cls, documents: dict[str | int, Counter[str]]) -> _Index:
        lengths = {key: sum(terms.values()) for key, terms in documents.items()}
        average = sum(lengths.values()) / len(documents) if documents else 1
        return cls(documents, lengths, average or 1,
                   Counter(stem for terms in documents.values() for stem in terms))


def _rank(query: Counter[str], surface: dict[str, Counter[str]],
          index: _Index) -> list[Suggestion]:
    """BM25 of each document against the query's stems; the matching words shown as written."""
    documents = index.documents
    if not documents:
        return []
    average = index.average
    ranked = []
    for key, terms in documents.items():
        length, score, matched = index.lengths[key], 0.0, []
        for stem, count in query.items():
            frequency = terms.get(stem, 0)
            if not frequency:
                continue
            having = index.having[stem]
            idf = math.log(1 + (len(documents) - having + 0.5) / (having + 0.5))
            score += idf * math.log(1 + count) * frequency * (K1 + 1) / (
                frequency + K1 * (1 - B + B * length / average))
            matched.append(stem)
        if score > 0:
            shown = sorted(matched, key=lambda s: -query[s])
            ranked.append(Suggestion(key, round(score, 3),
                                     [surface[s].most_common(1)[0][0] for s in shown]))
    return sorted(ranked, key=lambda s: -s.score)


def suggest(program: Program, text: str) -> tuple[list[Suggestion], list[Suggestion]]:
    """The program's themes and measures, ranked by relevance to `text`."""
    query: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = {}
    for stem, word in words(text):
        query[stem] += 1
        surface.setdefault(stem, Counter())[word] += 1

    themes, measures = _indexes(program)
    return _rank(query, surface, themes), _rank(query, surface, measures)


# The program's themes and measures stemmed once, not for each question of a questionnaire:
# the last programs seen (kept with the index, so that an id is never another program's).
_INDEXES: list[tuple[Program, _Index, _Index]] = []


def _indexes(program: Program) -> tuple[_Index, _Index]:
    for known, themes, measures in _INDEXES:
        if known is program:
            return themes, measures

    def bag(*texts: str | None) -> Counter[str]:
        return Counter(stem for t in texts if t for stem, _ in words(t))

    themes = _Index.of({
        tag: bag(theme.label, theme.description, theme.vision,
                 *(m.title for m in program.measures if tag in m.themes),
                 *(m.text for m in program.measures if tag in m.themes))
        for tag, theme in program.themes.items()})
    measures = _Index.of({
        m.number: bag(m.title, m.text, *(program.themes[t].label for t in m.themes
                                           if t in program.themes))
        for m in program.measures})
    _INDEXES[:] = [*_INDEXES[-3:], (program, themes, measures)]
    return themes, measures


def chosen_themes(themes: list[Suggestion], share: float = 0.5) -> list[str]:
    """The themes to write about: those within `share` of the best score."""
    if not themes:
        return []
    return [str(s.key) for s in themes if s.score >= share * themes[0].score]
