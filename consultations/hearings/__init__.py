"""Public hearings (民主听证会): sessions, registration, waitlist, speakers and check-in.

`models.py` has the page, sessions and registrations; `operations.py` the atomic
operations (take a seat, cancel and promote, check in); `views.py` the resident views;
`admin.py` the staff screens; `ics.py` the calendar file.
"""
