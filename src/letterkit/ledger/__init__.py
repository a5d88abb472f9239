"""What was sent to whom: the SQLite ledger (database), a row and its hashes (entry), its
readable ledger.csv copy (export), the letters a program change made stale (stale).

May import: the base modules and campaign.
"""
