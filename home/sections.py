"""The home page's sections: each returns its items; the template shows an empty state.

The items are looked up when the template first uses them (lazily), so that the home page's
shared fragment (`{% cache %}` in home/home_page.html, see home/page_cache.py) runs none of
these queries while it is fresh.
"""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


def open_consultations(limit=6):
    from consultations.models import ConsultationPage, Stage
    from consultations.permissions import visible_pages

    # The stored stage (kept equal to derive_stage()) lets the database do the filtering.
    # The home page is the same for everyone: restricted sections are left out for all.
    return list(
        visible_pages(ConsultationPage.objects.all())
        .filter(stage__in=[Stage.NOTICE, Stage.OPEN])
        .select_related("category", "format")
        .order_by("-notice_date", "-first_published_at")[:limit]
    )


def upcoming_hearing_sessions(limit=5):
    from consultations.hearings.operations import upcoming_sessions

    return upcoming_sessions(limit)


def recent_outcomes(limit=5):
    from consultations.outcomes.operations import recent_outcomes

    return recent_outcomes(limit=limit)


def home_sections(home_page, request):
    return [
        {
            "key": "open",
            "title": _("Open consultations"),
            "items": SimpleLazyObject(open_consultations),
            "template": "home/sections/consultations.html",
            "empty": _(
                "No consultation is open right now. New topics appear here as soon as they are announced."
            ),
        },
        {
            "key": "hearings",
            "title": _("Upcoming hearings"),
            "items": SimpleLazyObject(upcoming_hearing_sessions),
            "template": "home/sections/hearings.html",
            "empty": _("No public hearing is scheduled at the moment."),
        },
        {
            "key": "outcomes",
            "title": _("Recent outcomes"),
            "items": SimpleLazyObject(recent_outcomes),
            "template": "home/sections/outcomes.html",
            "empty": _(
                "No outcome has been announced yet. Outcomes of consultations are published here."
            ),
        },
    ]
