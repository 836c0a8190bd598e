"""Browser journey: the hearing is filled, cancelled into and checked in on a phone.

Headless Chromium (Playwright) against the live test server, in English so that the
assertions do not depend on the compiled Chinese catalogue.
"""

import pytest
from django.utils import translation

from consultations.hearings.models import Registration
from tests.conftest import make_user
from tests.consultations.hearings.factories import make_hearing, session_fields
from tests.e2e.helpers import new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone_as(browser, live_server, user):
    """A phone-sized browser signed in as `user` (the sign-in form has its own journey)."""
    return new_page(browser, live_server, user=user, locale="en-GB")


def test_hearing_is_filled_cancelled_into_and_checked_in(browser, live_server, tree, editor_a):
    from tests.conftest import make_consultation

    consultation = make_consultation(tree.a)
    hearing = make_hearing(consultation, sessions=[session_fields(seats=1)])
    with translation.override("zh-hans"):
        hearing_url = live_server.url + "/en" + hearing.url
    first = make_user("first@example.com", community=tree.a)
    second = make_user("second@example.com", community=tree.a)

    # The first resident takes the only seat.
    page = phone_as(browser, live_server, first)
    page.goto(hearing_url)
    assert page.get_by_text("1 seat left", exact=True).is_visible()
    page.get_by_label("Phone").fill("13800138000")
    page.get_by_label("I wish to speak at the hearing").check()
    page.get_by_label("What I will say (short summary)").fill("路面请加宽到五米。")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/hearings/registrations/**")
    assert page.get_by_text("Show this code (or the QR code) at the entrance").is_visible()
    assert page.locator(".qr svg").count() == 1

    # The second resident finds it full and joins the waitlist.
    other = phone_as(browser, live_server, second)
    other.goto(hearing_url)
    assert other.get_by_text("Full — join the waitlist").first.is_visible()
    other.get_by_label("Phone").fill("13900139000")
    other.get_by_role("button", name="Register").click()
    other.wait_for_url("**/hearings/registrations/**")
    assert other.get_by_text("number 1 on the waitlist").is_visible()
    waiting_code = Registration.objects.get(user=second).code

    # The first resident cannot come and cancels: the seat goes to the second.
    page.get_by_role("button", name="Cancel registration").click()
    page.wait_for_url("**/my/registrations/")
    assert page.get_by_text("Your registration has been cancelled.").is_visible()
    assert Registration.objects.get(user=second).status == Registration.Status.CONFIRMED

    # At the door, the editor checks the second resident in, and refuses a second try.
    door = phone_as(browser, live_server, editor_a)
    session = hearing.sessions.get()
    door.goto(f"{live_server.url}/en/admin/hearings/sessions/{session.pk}/check-in/")
    door.get_by_label("Registration code", exact=True).fill(waiting_code.lower())
    door.get_by_role("button", name="Check in", exact=True).click()
    door.wait_for_load_state()
    assert door.locator(".checkin-ok").is_visible()
    door.get_by_label("Registration code", exact=True).fill(waiting_code)
    door.get_by_role("button", name="Check in", exact=True).click()
    door.wait_for_load_state()
    assert door.get_by_text("already checked in").is_visible()
    assert Registration.objects.get(user=second).checked_in_at is not None
