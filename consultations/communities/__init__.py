"""The administrative tree: counties, townships/streets, villages and communities.

`models.py` has the pages; `operations.py` gives each community and area its staff
groups and publishing workflows (held by foreign key, renamed with the page);
`signals.py` runs that setup for pages made in code; `demo.py` builds the demo tree.
"""
