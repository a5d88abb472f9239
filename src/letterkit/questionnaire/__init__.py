"""What an association sent: its document's text (documents), the themes it asks about
(suggest), a questionnaire's questions (questions), the draft answers file (draft) and the
completed answers file, read and turned into the letter's context (answers).

May import: the base modules, campaign and letter.
"""
