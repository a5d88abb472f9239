"""What the listing commands show, as plain rows (dicts of JSON values), for the command line
to print as a table or as JSON."""

from __future__ import annotations

from typing import Any

from letterkit.campaign.models import Program
from letterkit.campaign.project import Project
from letterkit.letter.select import program_order, resolve_themes

Row = dict[str, Any]


def measure_rows(program: Program, theme: str | None = None) -> list[Row]:
    """The measures in program order (only those of `theme` if given)."""
    tags = resolve_themes(program, [theme]) if theme else None
    return [{"number": m.number, "title": m.title, "themes": m.themes, "text": m.text}
            for m in program_order(program) if tags is None or set(tags) & set(m.themes)]


def theme_rows(program: Program) -> list[Row]:
    """The theme tags, with the numbers of the measures each selects."""
    rows = []
    for tag, theme in program.themes.items():
        numbers = [m.number for m in program.measures if tag in m.themes]
        rows.append({"tag": tag, "label": theme.label, "description": theme.description,
                     "count": len(numbers), "measures": numbers})
    return rows


def association_rows(project: Project) -> list[Row]:
    """The associations of the registry, as written there (keys left empty omitted)."""
    return [a.model_dump(mode="json", exclude_none=True) for a in project.associations]


def suggestion_rows(program: Program, text: str) -> Row:
    """The themes and measures ranked against a document, and the themes to write about."""
    from letterkit.questionnaire.suggest import chosen_themes, suggest

    themes_ranked, measures_ranked = suggest(program, text)
    titles = {m.number: m.title or m.text for m in program.measures}
    return {"themes": [{"tag": s.key, "label": program.themes[str(s.key)].label,
                        "score": s.score, "words": s.words} for s in themes_ranked],
            "measures": [{"number": s.key, "title": titles[int(s.key)], "score": s.score,
                          "words": s.words} for s in measures_ranked],
            "suggested_themes": chosen_themes(themes_ranked)}
