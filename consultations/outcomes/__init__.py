"""Outcome announcements (协商成果公告) and their implementation record (三(五)).

`models.py` has the OutcomePage, its decision items, progress updates and the legal
review task; `operations.py` records progress, publishes and reminds; `views.py` the
public tracker and follow button; `feeds.py` the outcome feeds; `admin.py` the overdue
reports and the implementation screen.
"""
