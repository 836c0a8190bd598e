"""One fixture portal with every public page type in every state, for the page audits.

`build_portal(tree)` makes, in community A of the shared tree, an open consultation (its
suggestion form open, a hearing with seats, a full one and one whose registration has
closed, an open poll) and a closed one (suggestion form closed, a closed poll with its
results, the outcome announcement), a consultation index, a resident who follows them and
has news in the inbox and a seat at the hearing. `PAGES` then names every page type and state to audit; each entry
says whether the resident is signed in and whether the check first presses a button.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from consultations.models import ConsultationIndexPage
from tests.conftest import add_page, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, register, session_fields
from tests.consultations.ledger.factories import add_suggestions
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import bulk_ballots, make_poll

RESIDENT_EMAIL = "audit-resident@example.com"


@dataclass(frozen=True)
class Audit:
    """One page type in one state: its Chinese path, who looks, what they press first."""

    name: str
    path: str
    signed_in: bool = False
    status: int = 200
    # A step before the check: "ballot-review" fills the open poll and asks to review it.
    step: str = ""


def _zh(url_or_name, *args):
    with translation.override(settings.LANGUAGE_CODE):
        if url_or_name.startswith("/"):
            return url_or_name
        return reverse(url_or_name, args=args)


def build_portal(tree):
    """Every page type and state, committed for the live server; returns [Audit]."""
    from consultations.notifications.models import Follow, Notification

    today = timezone.localdate()
    now = timezone.now().replace(microsecond=0)
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))

    open_one = make_consultation(tree.a, slug="open", title="村道硬化工程")
    open_form = add_suggestions(open_one, 2, answered=1)
    with_seats = make_hearing(open_one, slug="hearing")
    full = make_hearing(
        open_one, slug="hearing-full", title="满员的听证会", sessions=[session_fields(seats=1)]
    )
    register(full.sessions.get(), make_user("seat@example.com", community=tree.a))
    closed_hearing = make_hearing(
        open_one,
        slug="hearing-closed",
        title="报名已截止的听证会",
        sessions=[session_fields(days=1, registration_deadline=now - timedelta(hours=2))],
    )
    open_poll = make_poll(
        open_one, slug="poll", title="道路方案投票", results_visibility="after_close"
    )

    closed_one = make_consultation(
        tree.a,
        slug="closed",
        title="垃圾分类收集点设置",
        notice_date=today - timedelta(days=60),
        input_opens=today - timedelta(days=50),
        input_closes=today - timedelta(days=20),
        outcome_due=today + timedelta(days=10),
    )
    closed_form = add_suggestions(closed_one, 3, answered=2)
    closed_poll = make_poll(
        closed_one,
        slug="poll",
        title="收集点位置投票",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=21),
        results_visibility="after_close",
    )
    bulk_ballots(closed_poll, 12)
    outcome = make_outcome(closed_one)

    resident = make_user(RESIDENT_EMAIL, community=tree.a)
    registration = register(with_seats.sessions.get(), resident)
    for page in (tree.a, open_one):
        Follow.objects.create(user=resident, page=page)
    Notification.objects.create(
        user=resident, event="notice", key=f"notice:{open_one.pk}", page=open_one, delivery="now"
    )
    Notification.objects.create(
        user=resident,
        event="outcome",
        key=f"outcome:{outcome.pk}",
        page=outcome,
        delivery="digest",
        read_at=now,
    )

    def url(page):
        return _zh(page.url)

    return [
        Audit("home", url(tree.home)),
        Audit("community index", url(tree.county)),
        Audit("township", url(tree.township)),
        Audit("community", url(tree.a)),
        Audit("public record", url(tree.a) + "record/"),
        Audit("consultation index", url(index)),
        Audit("consultation index, filtered", url(index) + "?stage=open&category=roads-water"),
        Audit("consultation open", url(open_one)),
        Audit("consultation closed", url(closed_one)),
        Audit("consultation print", url(open_one) + "print/"),
        Audit("suggestion form open", url(open_form)),
        Audit("suggestion form open, signed in", url(open_form), signed_in=True),
        Audit("suggestion form closed", url(closed_form)),
        Audit("hearing with seats", url(with_seats)),
        Audit("hearing with seats, registered", url(with_seats), signed_in=True),
        Audit("hearing full", url(full), signed_in=True),
        Audit(
            "hearing registration",
            _zh("hearings:registration", registration.code),
            signed_in=True,
        ),
        Audit("hearing closed", url(closed_hearing)),
        Audit("poll open", url(open_poll)),
        Audit("poll open, signed in", url(open_poll), signed_in=True),
        Audit("poll ballot review", url(open_poll), signed_in=True, step="ballot-review"),
        Audit("poll closed with results", url(closed_poll)),
        Audit("outcome", url(outcome)),
        Audit("outcome print", url(outcome) + "print/"),
        Audit("tracker", _zh("outcomes:tracker")),
        Audit("search", _zh("consultation_pages:search") + "?q=村道"),
        Audit("search, nothing found", _zh("consultation_pages:search") + "?q=zzzz"),
        Audit("login", _zh("account_login")),
        Audit("signup", _zh("account_signup")),
        Audit("password reset", _zh("account_reset_password")),
        Audit("password reset sent", _zh("account_reset_password_done")),
        Audit("email addresses", _zh("account_email"), signed_in=True),
        Audit("phone number", _zh("account_change_phone"), signed_in=True),
        Audit("my participation", _zh("residents:participation"), signed_in=True),
        Audit("my registrations", _zh("hearings:my_registrations"), signed_in=True),
        Audit("my suggestions", _zh("suggestions:mine"), signed_in=True),
        Audit("profile", _zh("residents:profile"), signed_in=True),
        Audit("notifications inbox", _zh("notifications:inbox"), signed_in=True),
        Audit("notification preferences", _zh("notifications:preferences"), signed_in=True),
        Audit("privacy notice", _zh("residents:privacy")),
        Audit("error 404", "/no-such-page/", status=404),
        Audit("error 400", _zh("notifications:unsubscribe", "tampered"), status=400),
        Audit("error 403", url(open_poll) + "results/csv/", status=403),
    ]


def resident_cookie(live_server_url):
    """The session cookie of the audit's resident, signed in without the form."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email=RESIDENT_EMAIL))
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server_url,
    }


def open_audited_page(context, base_url, audit, language):
    """A new page of `context` showing `audit` in `language`, after its step; returns it."""
    page = context.new_page()
    page.set_default_timeout(15000)
    prefix = "" if language == settings.LANGUAGE_CODE else "/" + language
    response = page.goto(base_url + prefix + audit.path)
    assert response.status == audit.status, f"{audit.name} ({language}): {response.status}"
    if audit.step == "ballot-review":
        page.locator(".poll-question").nth(0).locator("input").first.check()
        page.locator(".poll-question").nth(1).locator("input").first.check()
        page.locator(".poll-vote form button[type=submit]").click()
        page.wait_for_selector(".poll-review")
    return page
