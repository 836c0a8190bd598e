"""The residents' side keeps no tables of its own: it reads the other capabilities' records
(and the account's `participation_seen_at`, accounts/models.py)."""
