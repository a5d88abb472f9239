"""Run by Debian's /usr/bin/python3, which has python3-grammalecte: read a JSON list of
paragraphs on stdin, write on stdout, for each, the grammar errors Grammalecte finds (its
spelling errors are left out: the letters are full of proper names)."""

import json
import sys

import grammalecte

checker = grammalecte.GrammarChecker("fr")
found = []
for text in json.load(sys.stdin):
    errors, _ = checker.getParagraphErrors(text, bSpellSugg=False)
    found.append([{"rule": e["sRuleId"], "start": e["nStart"], "end": e["nEnd"],
                   "message": e["sMessage"], "text": text[e["nStart"]:e["nEnd"]]}
                  for e in errors])
json.dump(found, sys.stdout, ensure_ascii=False)
