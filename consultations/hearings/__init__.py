"""Public hearings: registration, waitlist, speakers and check-in (issue 5).

Models live in `consultations.hearings.models`; the atomic operations in `operations`.
"""
