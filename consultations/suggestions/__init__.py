"""Residents' suggestions: opinion forms attached to consultations, moderation, answers.

`models.py` has the form page and the Suggestion submission; `operations.py` one
function per atomic step; `forms.py`, `views.py`, `admin.py` (moderation screens) and
`wagtail_hooks.py` the rest.
"""
