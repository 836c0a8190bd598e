"""Consultation pages (issue 3): listing, search, feeds, workflows, dashboard and print.

The models live in `consultations/models/pages.py`; everything else of the capability
is here. Other capabilities call `ConsultationPage.refresh_stage()` when their state
changes in a way `consultation_stage()` reads (see `signals.py` for what is automatic).
"""
