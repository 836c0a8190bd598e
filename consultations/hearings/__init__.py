"""Public hearings: registration, waitlist, speakers and check-in (issue 5).

Models live in `consultations.models.hearings`; the atomic operations in `operations`.
"""
