"""Consultation pages: the catalogue, stages, listing, search, feeds, dashboard and print.

* `models.py` — ConsultationPage, ConsultationIndexPage, ConsultationChildPage (the
  base of every attached page), the catalogue snippets and the ConsultationRules setting.

* `listing.py` — `ConsultationListing`: GET filters (community, category, stage, format,
  year), faceted counts and pagination for the index and community pages.
* `search.py`, `views.search` — `/search/`: Wagtail search over live pages, with
  Chinese text indexed as characters and pairs (`search_tokens`).
* `feeds.py` — RSS/Atom of new consultations at `/feeds/consultations/{rss,atom}/` and
  `/feeds/consultations/<community page id>/{rss,atom}/`.
* `forms.py` — the admin form: the advance-notice rules (ConsultationRules) apply when
  publishing, submitting or approving; a draft may break them.
* `signals.py` — keeps `ConsultationPage.stage` equal to `derive_stage()`.
* `panels.py`, `wagtail_hooks.py` — the admin dashboard panel and hooks.

Contract for other capabilities: `ConsultationPage.stage` is a stored cache of
`derive_stage()`. Publishing, unpublishing, deleting or moving a page directly below a
consultation refreshes it automatically. When a child's `consultation_stage()` answer
changes for another reason (results published without a page publish, an item status
changed), call `consultation.refresh_stage()` after the change (inside the same
transaction is fine; it is one UPDATE, no revision, no signals). Date-driven changes are
caught by the hourly `manage.py consultations_refresh_stages`.
"""
