"""Public hearings: registration, waitlist, quotas, deadlines, check-in, mail, .ics, rights."""

import re
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from consultations.hearings import operations
from consultations.hearings.ics import escape_text, fold_line, session_calendar
from consultations.hearings.models import HearingFormField, HearingPage, Registration
from consultations.hearings.models import HearingSession as HearingSessionModel
from consultations.hearings.operations import HearingError
from tests.conftest import en, make_consultation, make_user
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.hearings.factories import make_hearing, register, session_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(consultation):
    return make_hearing(consultation)


@pytest.fixture
def session(hearing):
    return hearing.sessions.get()


def en_reverse(name, args=()):
    """The English address of a URL name, whatever language the last request left active."""
    with translation.override("zh-hans"):
        return en(reverse(name, args=args))


def en_url(page):
    with translation.override("zh-hans"):
        return en(page.url)


def register_url(page_id):
    """The English address of a hearing page's registration route."""
    return en_url(HearingPage.objects.get(pk=page_id)) + "register/"


Status = Registration.Status


def residents(tree, n, prefix="r"):
    return [make_user(f"{prefix}{i}@example.com", community=tree.a) for i in range(n)]


def registration_post(session, **overrides):
    data = {
        "session": session.pk,
        "category": "affected",
        "phone": "13800138000",
        "wishes_to_speak": "",
        "speech_summary": "",
    }
    data.update(overrides)
    return data


# --- registration ----------------------------------------------------------------------


def test_resident_registers_in_one_step_and_gets_code_qr_and_mail(client, resident, session):
    client.force_login(resident)
    url = register_url(session.page_id)
    response = client.post(
        url,
        registration_post(session, wishes_to_speak="on", speech_summary="希望路面加宽"),
    )
    registration = Registration.objects.get(user=resident)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/hearings/registrations/{registration.code}/")
    assert registration.status == Status.CONFIRMED
    assert registration.wishes_to_speak and registration.speech_summary == "希望路面加宽"
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", registration.code)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert registration.code in page.content.decode()
    assert "<svg" in page.content.decode()  # the QR code

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    assert registration.code in message.body
    assert f"/hearings/registrations/{registration.code}/" in message.body
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content and registration.code in content


def test_page_shows_seats_left_and_registration_form(client, resident, session):
    client.force_login(resident)
    response = client.get(en_url(session.page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "10 seats left" in html
    assert 'name="phone"' in html
    # The session to choose is dated in the site's one format, as on its card.
    with translation.override("en"):
        when = date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    assert f"{when} · 村委会议室 · 10 seats left" in html


def test_anonymous_visitor_is_asked_to_sign_in(client, session):
    html = client.get(en_url(session.page)).content.decode()
    assert "Sign in to register" in html
    response = client.post(register_url(session.page_id), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_input_gets_clear_errors_and_400(client, resident, session):
    client.force_login(resident)
    url = register_url(session.page_id)
    response = client.post(url, registration_post(session, phone="call me", wishes_to_speak="on"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please enter a phone number" in html
    assert "Please say in a few words" in html
    assert not Registration.objects.exists()
    assert client.post(url, {"session": "x"}).status_code == 400


def test_extra_fields_from_the_editor_are_asked_and_stored(client, resident, consultation):
    hearing = make_hearing(consultation, slug="with-extra")
    HearingFormField.objects.create(
        page=hearing, label="Household number", field_type="singleline", required=True
    )
    session = hearing.sessions.get()
    client.force_login(resident)
    url = register_url(hearing.pk)
    assert client.post(url, registration_post(session)).status_code == 400
    response = client.post(url, registration_post(session, extra_household_number="3-12"))
    assert response.status_code == 302
    answers = Registration.objects.get(user=resident).extra_answers
    assert answers == {"household_number": {"label": "Household number", "value": "3-12"}}


def test_double_registration_returns_the_same_registration(resident, session):
    first = register(session, resident)
    again, created = operations.register_for_session(session, resident, category="expert")
    assert again.pk == first.pk and not created
    assert Registration.objects.count() == 1


def test_database_allows_one_active_registration_per_person_and_session(resident, session):
    register(session, resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=session, user=resident, category="affected", code="ZZZZZZZZ"
        )


def test_resident_can_register_again_after_cancelling(resident, session):
    first = register(session, resident)
    operations.cancel_registration(first, resident)
    second = register(session, resident)
    assert second.pk != first.pk and second.status == Status.CONFIRMED
    assert Registration.objects.filter(session=session, user=resident).count() == 2


# --- capacity, waitlist and quotas -------------------------------------------------------


def test_full_session_puts_people_on_the_waitlist(client, tree, consultation):
    hearing = make_hearing(consultation, slug="small", sessions=[session_fields(seats=2)])
    session = hearing.sessions.get()
    a, b, c, d = residents(tree, 4)
    d.preferred_language = "en"  # mail follows the resident's language
    d.save()
    assert [register(session, u).status for u in (a, b, c, d)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    waiting = Registration.objects.get(user=d)
    assert waiting.waitlist_position() == 2
    client.force_login(d)
    html = client.get(en_url(hearing)).content.decode()
    assert "Full — join the waitlist" in html
    assert "You are on the waitlist." in html
    assert "On the waitlist" in mail.outbox[-1].subject or "waitlist" in mail.outbox[-1].body
    assert not mail.outbox[-1].attachments  # no calendar entry without a seat


def test_cancellation_promotes_the_first_waiting_person_and_mails_them(tree, consultation):
    hearing = make_hearing(consultation, slug="small", sessions=[session_fields(seats=1)])
    session = hearing.sessions.get()
    a, b, c = residents(tree, 3)
    first, second, third = (register(session, u) for u in (a, b, c))
    mail.outbox.clear()

    promoted = operations.cancel_registration(first, a)

    assert [r.pk for r in promoted] == [second.pk]
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.CONFIRMED and third.status == Status.WAITLISTED
    assert third.waitlist_position() == 1
    recipients = {m.to[0]: m for m in mail.outbox}
    assert set(recipients) == {a.email, b.email}
    assert recipients[b.email].attachments[0][0].endswith(".ics")


def test_cancelling_a_waitlisted_registration_promotes_nobody(tree, consultation):
    hearing = make_hearing(consultation, slug="small", sessions=[session_fields(seats=1)])
    session = hearing.sessions.get()
    a, b, c = residents(tree, 3)
    register(session, a)
    waiting_b, waiting_c = register(session, b), register(session, c)
    assert operations.cancel_registration(waiting_b, b) == []
    waiting_c.refresh_from_db()
    assert waiting_c.status == Status.WAITLISTED


def test_category_quota_is_respected_and_promotion_skips_a_full_category(tree, consultation):
    hearing = make_hearing(
        consultation, slug="quota", sessions=[session_fields(seats=3, quota_expert=1)]
    )
    session = hearing.sessions.get()
    e1, e2, r1, r2, r3 = residents(tree, 5)
    expert1 = register(session, e1, category="expert")
    expert2 = register(session, e2, category="expert")
    resident1 = register(session, r1)
    assert (expert1.status, expert2.status, resident1.status) == (
        Status.CONFIRMED,
        Status.WAITLISTED,  # the expert quota is full although seats are left
        Status.CONFIRMED,
    )
    resident2 = register(session, r2)  # takes the last seat
    resident3 = register(session, r3)
    assert (resident2.status, resident3.status) == (Status.CONFIRMED, Status.WAITLISTED)

    # A resident cancels: the first waiting person (an expert) cannot have the seat,
    # because the expert quota is still full; the next waiting resident gets it.
    operations.cancel_registration(resident1, r1)
    expert2.refresh_from_db()
    resident3.refresh_from_db()
    assert expert2.status == Status.WAITLISTED
    assert resident3.status == Status.CONFIRMED
    assert session.registrations.filter(status=Status.CONFIRMED).count() == 3


def test_more_seats_on_publish_promote_from_the_waitlist(tree, consultation):
    hearing = make_hearing(consultation, slug="small", sessions=[session_fields(seats=1)])
    session = hearing.sessions.get()
    a, b = residents(tree, 2)
    register(session, a)
    waiting = register(session, b)
    session.seats = 2
    session.save()
    assert [r.pk for r in operations.promote_from_waitlist(session)] == [waiting.pk]


# --- deadlines ---------------------------------------------------------------------------


def test_registration_closes_at_the_deadline(client, resident, consultation):
    hearing = make_hearing(
        consultation,
        slug="closed",
        sessions=[session_fields(registration_deadline=timezone.now() - timedelta(hours=1))],
    )
    session = hearing.sessions.get()
    with pytest.raises(HearingError):
        register(session, resident)
    client.force_login(resident)
    html = client.get(en_url(hearing)).content.decode()
    assert "Registration closed" in html
    assert 'name="phone"' not in html
    response = client.post(register_url(hearing.pk), registration_post(session))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_resident_can_cancel_until_the_session_starts(client, resident, session):
    registration = register(session, resident)
    client.force_login(resident)
    response = client.post(en_reverse("hearings:cancel", args=[registration.code]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED

    again = register(session, resident)
    later = session.starts_at + timedelta(minutes=5)
    with pytest.raises(HearingError):
        operations.cancel_registration(again, resident, now=later)


def test_cancel_after_start_is_refused_with_409(client, resident, consultation):
    start = timezone.now() - timedelta(minutes=10)
    hearing = make_hearing(
        consultation,
        slug="running",
        sessions=[
            session_fields(
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                registration_deadline=start - timedelta(days=1),
            )
        ],
    )
    session = hearing.sessions.get()
    registration = Registration.objects.create(
        session=session, user=resident, category="affected", code="ABCDEFGH"
    )
    client.force_login(resident)
    response = client.post(en_reverse("hearings:cancel", args=[registration.code]))
    assert response.status_code == 409
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


# --- check-in ----------------------------------------------------------------------------


def test_check_in_marks_present_and_refuses_twice(editor_a, resident, session):
    registration = register(session, resident)
    checked = operations.check_in(session, registration.code.lower(), editor_a)
    assert checked.checked_in_at and checked.checked_in_by == editor_a
    # The refusals are translated: read them in English, set explicitly.
    with translation.override("en"), pytest.raises(HearingError, match="already checked in"):
        operations.check_in(session, registration.code, editor_a)


def test_check_in_with_a_wrong_code_says_so(editor_a, session):
    with (
        translation.override("en"),
        pytest.raises(HearingError, match="No registration with the code"),
    ):
        operations.check_in(session, "XXXX-XXXX", editor_a)


def test_check_in_refuses_waitlisted_and_cancelled_codes(tree, editor_a, consultation):
    hearing = make_hearing(consultation, slug="small", sessions=[session_fields(seats=1)])
    session = hearing.sessions.get()
    a, b = residents(tree, 2)
    seated, waiting = register(session, a), register(session, b)
    with translation.override("en"), pytest.raises(HearingError, match="waitlist"):
        operations.check_in(session, waiting.code, editor_a)
    operations.cancel_registration(seated, a)
    with translation.override("en"), pytest.raises(HearingError, match="cancelled"):
        operations.check_in(session, seated.code, editor_a)


def test_check_in_page_for_staff(client, editor_a, resident, session):
    registration = register(session, resident)
    client.force_login(editor_a)
    url = en_reverse("hearings_admin:check_in", args=[session.pk])
    assert client.get(url).status_code == 200
    ok = client.post(url, {"code": registration.code})
    assert ok.status_code == 200 and "Checked in" in ok.content.decode()
    twice = client.post(url, {"code": registration.code})
    assert twice.status_code == 409
    assert "already checked in" in twice.content.decode()
    wrong = client.post(url, {"code": "NOPE2345"})
    assert wrong.status_code == 409
    assert "No registration with the code NOPE2345" in wrong.content.decode()


# --- mails and .ics ----------------------------------------------------------------------


def test_ics_file_follows_rfc_5545(resident, consultation):
    start = timezone.now().replace(microsecond=0) + timedelta(days=9)
    hearing = make_hearing(
        consultation,
        slug="ics",
        title="听证会; 关于道路, 硬化\\方案",
        sessions=[
            session_fields(
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                registration_deadline=start - timedelta(days=1),
                place="村委会议室, 二楼",
                address="甲村；幸福路 1 号",
                accessibility_notes="第一行\n第二行" + "很长的说明" * 30,
            )
        ],
    )
    session = hearing.sessions.get()
    registration = register(session, resident)
    text = session_calendar(session, registration, url="https://example.org/h/")

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" in unfolded and "END:VEVENT" in unfolded
    props = dict(line.split(":", 1) for line in unfolded if not line.startswith(("BEGIN", "END")))
    assert props["VERSION"] == "2.0" and props["PRODID"]
    assert props["UID"].startswith(f"hearing-{session.pk}-{registration.code}@")
    assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"])
    assert props["DTSTART"] == start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert props["DTEND"] == (start + timedelta(hours=2)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert props["SUMMARY"] == "听证会\\; 关于道路\\, 硬化\\\\方案"
    assert props["LOCATION"] == "村委会议室\\, 二楼\\, 甲村；幸福路 1 号"
    assert "第一行\\n第二行" in props["DESCRIPTION"]


def test_a_place_given_once_is_shown_once(client, resident, consultation):
    # A hearing made from a template has one meeting place for place and address.
    hearing = make_hearing(
        consultation,
        slug="once",
        sessions=[session_fields(place="村委会议室", address="村委会议室")],
    )
    session = hearing.sessions.get()
    registration = register(session, resident)
    client.force_login(resident)
    detail = client.get(en_reverse("hearings:registration", args=[registration.code]))
    assert detail.status_code == 200
    assert "村委会议室, 村委会议室" not in detail.content.decode()
    assert "村委会议室" in detail.content.decode()
    text = session_calendar(session, registration, url="https://example.org/h/")
    assert "LOCATION:村委会议室\r\n" in text


def test_ics_helpers():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold_line("X" * 200)
    assert [len(part) for part in folded.split("\r\n")] == [75, 75, 52]
    chinese = fold_line("中" * 60)  # 3 octets each: never split inside a character
    assert all(len(p.encode()) <= 75 for p in chinese.split("\r\n"))
    assert chinese.replace("\r\n ", "") == "中" * 60


def test_calendar_download_from_the_confirmation_page(client, resident, other_resident, session):
    registration = register(session, resident)
    url = en_reverse("hearings:registration_calendar", args=[registration.code])
    client.force_login(resident)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    client.force_login(other_resident)
    assert client.get(url).status_code == 404


def test_reminder_mail_the_day_before_is_sent_once(tree, consultation):
    start = timezone.now() + timedelta(days=1)
    hearing = make_hearing(
        consultation,
        slug="tomorrow",
        sessions=[
            session_fields(starts_at=start, registration_deadline=start - timedelta(hours=2))
        ],
    )
    session = hearing.sessions.get()
    later = make_hearing(consultation, slug="later", sessions=[session_fields(days=5)])
    a, b = residents(tree, 2)
    reg = register(session, a)
    register(later.sessions.get(), b)
    mail.outbox.clear()
    call_command("hearings_send_reminders", stdout=__import__("io").StringIO())
    assert [m.to for m in mail.outbox] == [[a.email]]
    assert mail.outbox[0].attachments
    reg.refresh_from_db()
    assert reg.reminder_sent_at
    call_command("hearings_send_reminders", stdout=__import__("io").StringIO())
    assert len(mail.outbox) == 1


def test_personal_data_is_purged_after_the_configured_days(settings, resident, consultation):
    settings.PORTAL_RETENTION = {**settings.PORTAL_RETENTION, "hearing_registration_details": 30}
    start = timezone.now() - timedelta(days=40)
    old = make_hearing(
        consultation,
        slug="old",
        sessions=[
            session_fields(
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                registration_deadline=start - timedelta(days=1),
            )
        ],
    )
    recent = make_hearing(consultation, slug="recent")
    kept = register(recent.sessions.get(), resident, wishes_to_speak=True, speech_summary="x")
    purged = Registration.objects.create(
        session=old.sessions.get(),
        user=resident,
        category="affected",
        phone="13900000000",
        wishes_to_speak=True,
        speech_summary="我要发言",
        extra_answers={"a": {"label": "A", "value": "b"}},
        code="PURGE234",
    )
    call_command("hearings_purge_personal_data", stdout=__import__("io").StringIO())
    purged.refresh_from_db()
    kept.refresh_from_db()
    assert (purged.phone, purged.speech_summary, purged.extra_answers) == ("", "", {})
    assert purged.personal_data_purged_at and purged.wishes_to_speak
    assert kept.phone == "13800138000" and kept.speech_summary == "x"
    assert Registration.objects.count() == 2  # counts remain


# --- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("editor_a", True),
        ("reviewer_a", True),
        ("official", True),
        ("superuser", True),
        ("editor_b", False),
    ],
)
@pytest.mark.parametrize("view", ["registrants", "check_in", "speakers", "export"])
def test_staff_tools_need_rights_on_that_community(request, client, session, who, allowed, view):
    user = request.getfixturevalue(who)
    client.force_login(user)
    name = "registrants" if view == "export" else view
    url = en_reverse(f"hearings_admin:{name}", args=[session.pk])
    if view == "export":
        url += "?export=csv"
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
    else:
        assert_admin_refused(response)
        assert "attachment" not in response.get("Content-Disposition", "")


def test_residents_cannot_reach_staff_tools(client, resident, session):
    client.force_login(resident)
    response = client.get(en_reverse("hearings_admin:registrants", args=[session.pk]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_registrants_list_filters_and_shows_phones_to_staff(client, tree, editor_a, session):
    a, b = residents(tree, 2)
    register(session, a, phone="13711112222", wishes_to_speak=True, speech_summary="发言")
    register(session, b, category="expert", phone="13733334444")
    client.force_login(editor_a)
    url = en_reverse("hearings_admin:registrants", args=[session.pk])
    html = client.get(url).content.decode()
    assert "13711112222" in html and "13733334444" in html
    html = client.get(url + "?speaker=yes").content.decode()
    assert "13711112222" in html and "13733334444" not in html
    html = client.get(url + "?category=expert&status=confirmed").content.decode()
    assert "13711112222" not in html and "13733334444" in html
    assert client.get(url + "?status=bogus").status_code == 200


def test_export_is_formula_safe_csv_and_xlsx(client, tree, editor_a, session):
    (a,) = residents(tree, 1)
    register(session, a, wishes_to_speak=True, speech_summary='=HYPERLINK("http://x")')
    client.force_login(editor_a)
    url = en_reverse("hearings_admin:registrants", args=[session.pk])
    csv = client.get(url + "?export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "13800138000" in body
    xlsx = client.get(url + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_editors_arrange_the_speakers_list(client, tree, editor_a, session):
    a, b = residents(tree, 2)
    ra = register(session, a, wishes_to_speak=True, speech_summary="甲")
    rb = register(session, b, wishes_to_speak=True, speech_summary="乙")
    client.force_login(editor_a)
    url = en_reverse("hearings_admin:speakers", args=[session.pk])
    assert client.get(url).status_code == 200
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-registration": ra.pk,
        "form-0-speaker_order": "2",
        "form-0-speaking_at": "10:10",
        "form-0-speaking_minutes": "5",
        "form-1-registration": rb.pk,
        "form-1-speaker_order": "1",
        "form-1-speaking_at": "10:00",
        "form-1-speaking_minutes": "10",
    }
    assert client.post(url, data).status_code == 302
    ra.refresh_from_db()
    rb.refresh_from_db()
    assert (ra.speaker_order, ra.speaking_at.strftime("%H:%M")) == (2, "10:10")
    assert (rb.speaker_order, rb.speaking_minutes) == (1, 10)
    data["form-0-speaking_at"] = "late"
    assert client.post(url, data).status_code == 400


def test_resident_sees_only_own_registrations(client, resident, other_resident, session):
    mine = register(session, resident)
    theirs = register(session, other_resident)
    client.force_login(resident)
    html = client.get(en_reverse("hearings:my_registrations")).content.decode()
    assert mine.code in html and theirs.code not in html
    assert client.get(en_reverse("hearings:registration", args=[theirs.code])).status_code == 404
    assert client.post(en_reverse("hearings:cancel", args=[theirs.code])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED


def test_phone_numbers_never_appear_on_public_pages(client, resident, other_resident, session):
    register(session, resident, phone="13999998888")
    client.force_login(other_resident)
    assert "13999998888" not in client.get(en_url(session.page)).content.decode()


# --- the page, the card, the home page, the editor's rules -------------------------------


def test_hearing_page_query_count_is_fixed(
    client, django_assert_max_num_queries, tree, consultation
):
    hearing = make_hearing(
        consultation,
        slug="many",
        sessions=[session_fields(days=d, seats=2) for d in (10, 11, 12, 13)],
    )
    people = residents(tree, 4)
    for s in hearing.sessions.all():
        for user in people[1:]:
            register(s, user)
    client.force_login(people[0])
    client.get(en_url(hearing))
    with CaptureQueriesContext(connection) as few:
        client.get(en_url(hearing))
    more = make_hearing(consultation, slug="fewer", sessions=[session_fields()])
    with CaptureQueriesContext(connection) as one:
        client.get(en_url(more))
    # The number of queries does not grow with sessions or registrations.
    assert len(few) == len(one)
    with django_assert_max_num_queries(25):
        client.get(en_url(hearing))


def test_after_the_hearing_attendance_and_minutes_are_shown_when_published(
    client, resident, consultation
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    start = timezone.now() - timedelta(days=3)
    minutes = Document(title="会议纪要")
    minutes.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    hearing = make_hearing(
        consultation,
        slug="past",
        minutes=minutes,
        attendance_published=True,
        sessions=[
            session_fields(
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                registration_deadline=start - timedelta(days=1),
            )
        ],
    )
    session = hearing.sessions.get()
    Registration.objects.create(
        session=session,
        user=resident,
        category="affected",
        code="PAST2345",
        checked_in_at=start,
    )
    html = client.get(en_url(hearing)).content.decode()
    assert "Attended" in html and "Read the minutes" in html
    hearing.attendance_published = False
    hearing.save_revision().publish()
    html = client.get(en_url(hearing)).content.decode()
    assert "Attended" not in html and "Read the minutes" in html


def test_consultation_page_card_and_home_page_show_the_next_session(client, session):
    consultation_html = client.get(en_url(session.page.get_parent())).content.decode()
    assert session.page.title in consultation_html
    assert "10 seats left" in consultation_html
    home_html = client.get("/en/").content.decode()
    assert session.page.title in home_html


def test_contract_for_outcomes_participants_and_attendance(tree, editor_a, consultation):
    hearing = make_hearing(consultation, slug="small", sessions=[session_fields(seats=2)])
    session = hearing.sessions.get()
    a, b, c = residents(tree, 3)
    ra = register(session, a, wishes_to_speak=True, speech_summary="x")
    register(session, b)
    rc = register(session, c)
    operations.cancel_registration(rc, c)
    operations.check_in(session, ra.code, editor_a)
    assert operations.participant_user_ids(consultation) == {a.pk, b.pk}
    totals = operations.attendance_totals(consultation)
    assert totals["sessions"] == 1
    assert totals["confirmed"] == 2 and totals["attended"] == 1 and totals["speakers"] == 1
    assert totals["waitlisted"] == 0 and totals["by_category"] == {"affected": 2}
    other = make_consultation(tree.b, slug="other")
    assert operations.participant_user_ids(other) == set()


def _admin_add_data(consultation, start):
    deadline = start - timedelta(days=1)
    fmt = "%Y-%m-%d %H:%M"
    rich = '{"blocks":[{"key":"a","text":"说明","type":"unstyled","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
    return {
        "title": "听证会",
        "slug": "new-hearing",
        "description": rich,
        "agenda": rich,
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-starts_at": start.strftime(fmt),
        "sessions-0-ends_at": (start + timedelta(hours=2)).strftime(fmt),
        "sessions-0-place": "会议室",
        "sessions-0-address": "村委会",
        "sessions-0-seats": "20",
        "sessions-0-registration_deadline": deadline.strftime(fmt),
        "sessions-0-accessibility_notes": "",
        "sessions-0-ORDER": "1",
        "form_fields-TOTAL_FORMS": "0",
        "form_fields-INITIAL_FORMS": "0",
        "form_fields-MIN_NUM_FORMS": "0",
        "form_fields-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }


def test_first_session_must_respect_the_minimum_notice_period(client, superuser, tree):
    today = timezone.localdate()
    consultation = make_consultation(
        tree.a,
        slug="notice",
        notice_date=today,
        input_opens=today,
        input_closes=today + timedelta(days=10),
    )
    url = en_reverse(
        "wagtailadmin_pages:add", args=["consultations", "hearingpage", consultation.pk]
    )
    client.force_login(superuser)
    too_soon = timezone.localtime() + timedelta(days=1)
    response = client.post(url, _admin_add_data(consultation, too_soon))
    assert response.status_code == 200
    assert "at least 3 days after the consultation" in response.content.decode()
    later = timezone.localtime() + timedelta(days=5)
    response = client.post(url, _admin_add_data(consultation, later))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "/edit/" in response["Location"], response["Location"]
    assert HearingPage.objects.child_of(consultation).filter(slug="new-hearing").exists()


def test_preview_of_unsaved_sessions_renders(hearing):
    from consultations.hearings.models import HearingSession

    hearing.sessions.add(HearingSession(**session_fields(days=20, place="新会场")))
    response = hearing.make_preview_request()
    assert response.status_code == 200
    assert "新会场" in response.content.decode()


def test_publishing_more_seats_promotes_the_waitlist(tree, consultation):
    hearing = make_hearing(consultation, slug="grow", sessions=[session_fields(seats=1)])
    session = hearing.sessions.get()
    a, b = residents(tree, 2)
    register(session, a)
    waiting = register(session, b)
    mail.outbox.clear()
    # The new seat count is in a revision, published without the admin (as a scheduled
    # publication or a command would): the page_published receiver promotes.
    page = HearingPage.objects.get(pk=hearing.pk)
    edited = page.sessions.get()
    edited.seats = 2
    page.sessions = [edited]
    revision = page.save_revision()
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED  # a draft changes nothing
    revision.publish()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert [m.to for m in mail.outbox] == [[b.email]]


def test_the_admin_only_promotion_hook_is_gone():
    from wagtail import hooks

    names = [fn.__name__ for fn in hooks.get_hooks("after_publish_page")]
    assert "promote_after_publish" not in names


# --- audit log -------------------------------------------------------------------------


def test_check_in_is_audit_logged(client, editor_a, resident, session):
    from wagtail.models import ModelLogEntry

    registration = register(session, resident)
    client.force_login(editor_a)
    client.post(
        en_reverse("hearings_admin:check_in", args=[session.pk]), {"code": registration.code}
    )
    entry = ModelLogEntry.objects.get(action="consultations.hearings.check_in")
    assert entry.user == editor_a
    assert entry.object_id == str(registration.pk)
    assert entry.data["session"] == session.pk


def test_staff_cancellation_is_audit_logged(client, editor_a, resident, session):
    from wagtail.models import ModelLogEntry

    registration = register(session, resident)
    client.force_login(editor_a)
    response = client.post(en_reverse("hearings:cancel", args=[registration.code]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    entry = ModelLogEntry.objects.get(action="consultations.hearings.cancel")
    assert entry.user == editor_a
    assert entry.object_id == str(registration.pk)
    assert entry.data["by_registrant"] is False


def test_arranging_speakers_is_audit_logged(client, tree, editor_a, session):
    from wagtail.models import ModelLogEntry

    (a,) = residents(tree, 1)
    speaker = register(session, a, wishes_to_speak=True, speech_summary="甲")
    client.force_login(editor_a)
    url = en_reverse("hearings_admin:speakers", args=[session.pk])
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-registration": speaker.pk,
        "form-0-speaker_order": "1",
        "form-0-speaking_at": "10:00",
        "form-0-speaking_minutes": "5",
    }
    assert client.post(url, data).status_code == 302
    entry = ModelLogEntry.objects.get(action="consultations.hearings.arrange_speakers")
    assert entry.user == editor_a
    assert entry.object_id == str(session.pk)
    assert entry.data["speakers"] == [speaker.pk]


# --- shared codes and mail language ------------------------------------------------------


def test_registration_codes_use_the_shared_unambiguous_alphabet(tree, session):
    from consultations.codes import CODE_ALPHABET

    people = residents(tree, 5)
    codes = [register(session, person).code for person in people]
    assert all(len(code) == operations.CODE_LENGTH for code in codes)
    assert set("".join(codes)) <= set(CODE_ALPHABET)


def test_check_in_finds_a_code_typed_with_spaces_dashes_and_lower_case(editor_a, resident, session):
    registration = register(session, resident)
    typed = f" {registration.code[:4].lower()}-{registration.code[4:]} "
    assert operations.check_in(session, typed, editor_a).pk == registration.pk


def test_registration_mail_is_in_the_residents_language_not_the_requests(
    client, tree, resident, session
):
    english = make_user("english-reader@example.com", community=tree.a)
    english.preferred_language = "en"
    english.save()
    # An English reader registering through the Chinese page gets English, English links.
    client.force_login(english)
    with translation.override("zh-hans"):
        chinese_page = HearingPage.objects.get(pk=session.page_id).url
    client.post(chinese_page + "register/", registration_post(session))
    english_mail = mail.outbox[-1]
    assert english_mail.to == [english.email]
    assert english_mail.subject.startswith("Registration confirmed")
    code = Registration.objects.get(user=english).code
    assert f"/en/hearings/registrations/{code}/" in english_mail.body
    # A resident without a preference gets the site language, even from an English page.
    client.force_login(resident)
    client.post(register_url(session.page_id), registration_post(session))
    chinese_mail = mail.outbox[-1]
    assert chinese_mail.to == [resident.email]
    assert not chinese_mail.subject.startswith("Registration confirmed")
    code = Registration.objects.get(user=resident).code
    assert f"/hearings/registrations/{code}/" in chinese_mail.body
    assert "/en/hearings/registrations/" not in chinese_mail.body


def test_demo_loads_three_hearing_situations_idempotently(tree):
    import io

    from consultations.hearings import demo as hearings_demo
    from consultations.models import CommunityPage

    tree.a.slug = "baisha"
    tree.a.save()
    for email in ("resident1@example.com", "resident2@example.com", "resident3@example.com"):
        make_user(email, community=tree.a)
    hearings_demo.load(io.StringIO())
    hearings_demo.load(io.StringIO())
    pages = HearingPage.objects.all()
    assert pages.count() == 3
    sessions = list(operations.with_counts(HearingSessionModel.objects.all()))
    assert any(s.confirmed_count < s.seats and s.starts_at > timezone.now() for s in sessions)
    assert any(s.confirmed_count == s.seats and s.waitlisted_count for s in sessions)
    past = [p for p in pages if p.minutes_id]
    assert len(past) == 1 and past[0].attendance_published
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert CommunityPage.objects.filter(slug="baisha").exists()


def test_a_hearing_with_registrations_is_not_deleted(client, superuser, resident, session):
    register(session, resident)
    client.force_login(superuser)
    for page in (session.page, session.page.get_parent()):
        response = client.post(en_reverse("wagtailadmin_pages:delete", args=[page.pk]))
        assert response.status_code == 302 and "/edit/" in response["Location"]
    assert HearingPage.objects.filter(pk=session.page_id).exists()


def test_editor_cannot_delete_a_session_with_registrations(client, superuser, resident, session):
    register(session, resident)
    hearing = session.page
    data = _admin_add_data(hearing.get_parent(), session.starts_at)
    data.update(
        {
            "title": hearing.title,
            "slug": hearing.slug,
            "sessions-INITIAL_FORMS": "1",
            "sessions-0-id": str(session.pk),
            "sessions-0-DELETE": "on",
        }
    )
    client.force_login(superuser)
    response = client.post(en_reverse("wagtailadmin_pages:edit", args=[hearing.pk]), data)
    assert response.status_code == 200
    assert "already has registrations and cannot be deleted" in response.content.decode()
    assert hearing.sessions.filter(pk=session.pk).exists()


def test_cancelled_registrations_are_not_listed_as_coming_up(client, resident, session):
    from consultations.hearings.operations import cancel_registration

    cancel_registration(register(session, resident), resident)
    client.force_login(resident)
    response = client.get(en_reverse("hearings:my_registrations"))
    assert response.context["upcoming"] == []
    assert [r.user for r in response.context["cancelled"]] == [resident]
