"""Demo content, one module per capability, loaded in this order by `load_demo`.

Each module has `load(stdout)`, which must be idempotent and may return a list of
(role, email, password) logins to print.
"""

LOADERS = [
    "communities",
    "consultations",
    "suggestions",
    "hearings",
    "polls",
    "outcomes",
]
