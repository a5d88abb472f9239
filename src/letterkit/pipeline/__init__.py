"""A request carried through: composed in memory (build), written with its ledger row all or
nothing (writer), many at once (batch, reading spreadsheets: spreadsheet), e-mailed (send),
composed again from the ledger (replay), checked (check); the values the command line and
batch files give as text (values) and the rows the listing commands print (listings).

May import: every package but cli.
"""
