"""Follows, notification preferences, the inbox, digests and unsubscribing.

`models.py` holds follows, preferences, notifications (one per event per person) and
digests; `operations.py` is the one writer (`follow`, `notify`, `send_digests`,
`send_pending_texts`, `unsubscribe`); `views.py` the follow button's endpoints, the
preferences page, the inbox and the unsubscribe pages; `signals.py` turns Wagtail's
publishing into events.
"""
