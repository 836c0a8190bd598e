from .factories import legal_reviewer, not_adopted  # noqa: F401
