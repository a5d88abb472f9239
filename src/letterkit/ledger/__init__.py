"""What was sent to whom: the SQLite ledger (database), a row and its hashes (entry), its
readable ledger.csv copy (export), the letters a program change made stale (stale); the
inbox of requests received, in the same database, and its inbox.csv copy (requests).

May import: the base modules and campaign.
"""
