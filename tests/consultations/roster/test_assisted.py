"""Assisted participation at the office: a community worker submits a suggestion or
registers for a hearing for a person on the roster, with the same checks as online,
marked as assisted and audit-logged."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from consultations.models import Suggestion, SuggestionFormPage
from consultations.roster.models import LinkMethod, PersonStatus
from consultations.roster.operations import link_account
from consultations.suggestions.operations import SuggestionRefused
from tests.conftest import add_page, make_consultation, make_user
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.roster.factories import make_person


@pytest.fixture
def consultation(tree):
    return make_consultation(tree.a)


@pytest.fixture
def wang(tree):
    return make_person(tree.a, "王秀英", "110011")


def with_assist_right(user):
    user.user_permissions.add(Permission.objects.get(codename="assist_resident"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def worker(editor_a):
    return with_assist_right(editor_a)


# --- suggestions -----------------------------------------------------------------------


@pytest.fixture
def form_page(consultation):
    return add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))


def suggestion_post(full_name="王秀英", local_id="110011", **overrides):
    data = {
        "person-full_name": full_name,
        "person-local_id": local_id,
        "person-confirm": "on",
        "title": "路灯",
        "opinion": "村口需要一盏路灯。",
        "topic_part": "",
        "token": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def submit_at_office(client, user, page, **overrides):
    client.force_login(user)
    return client.post(
        reverse("suggestions_admin:assisted_submit", args=[page.pk]), suggestion_post(**overrides)
    )


def test_the_screen_is_reached_from_the_queue(client, worker, form_page):
    client.force_login(worker)
    queue = client.get(reverse("suggestions_admin:queue") + f"?page_id={form_page.pk}")
    url = reverse("suggestions_admin:assisted_submit", args=[form_page.pk])
    assert url in queue.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="person-full_name"' in response.content.decode()


def test_a_worker_submits_for_a_roster_person(client, worker, wang, form_page):
    response = submit_at_office(client, worker, form_page)
    assert response.status_code == 302, response.content.decode()[:500]
    suggestion = Suggestion.objects.get(page=form_page)
    assert suggestion.assisted_by == worker and suggestion.roster_person == wang
    assert suggestion.user is None  # no account: the roster person is the author
    logged = ModelLogEntry.objects.get(action="consultations.suggestions.assisted_submit")
    assert logged.user == worker
    assert logged.data["roster_person"] == wang.pk
    assert not ModelLogEntry.objects.filter(action="consultations.suggestions.submit").exists()
    with translation.override("en"):
        detail = client.get(reverse("suggestions_admin:detail", args=[suggestion.pk]))
        queue = client.get(reverse("suggestions_admin:queue"))
    name = worker.get_full_name() or worker.get_username()
    assert f"assisted by {name}" in detail.content.decode()
    assert f"assisted by {name}" in queue.content.decode()


def test_a_linked_person_is_the_author_and_the_post_is_idempotent(client, tree, worker, wang):
    page = add_page(
        make_consultation(tree.a, slug="c2"), SuggestionFormPage(title="意见", slug="s")
    )
    account = make_user("wang@example.com", community=tree.a)
    link_account(account, wang, method=LinkMethod.OFFICE)
    token = uuid.uuid4().hex
    assert submit_at_office(client, worker, page, token=token).status_code == 302
    assert submit_at_office(client, worker, page, token=token).status_code == 302
    suggestion = Suggestion.objects.get(page=page)
    assert suggestion.user == account and suggestion.assisted_by == worker


def test_without_the_right_to_act_the_worker_is_refused(client, editor_a, wang, form_page):
    assert_admin_refused(submit_at_office(client, editor_a, form_page))
    assert not Suggestion.objects.exists()


def test_a_worker_of_another_community_is_refused(client, tree, editor_b, wang, form_page):
    worker_b = with_assist_right(editor_b)
    assert_admin_refused(submit_at_office(client, worker_b, form_page))
    assert not Suggestion.objects.exists()


def test_nobody_on_the_roster_is_a_form_error(client, worker, wang, form_page):
    with translation.override("en"):
        response = submit_at_office(client, worker, form_page, local_id="999999")
    assert response.status_code == 400
    assert "No one with this name and identifier" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_window_applies_as_online(client, tree, worker, wang):
    today = timezone.localdate()
    consultation = make_consultation(
        tree.a,
        slug="closed",
        notice_date=today - timedelta(days=30),
        input_opens=today - timedelta(days=10),
        input_closes=today - timedelta(days=1),
    )
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s"))
    with translation.override("en"):
        response = submit_at_office(client, worker, page)
    assert response.status_code == 400
    assert "Suggestions closed on" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_the_community_restriction_applies_as_online(client, tree, consultation, official):
    page = add_page(
        consultation, SuggestionFormPage(title="意见", slug="s", restrict_to_community=tree.a)
    )
    make_person(tree.b, "赵六", "330033")
    official = with_assist_right(official)
    with translation.override("en"):
        response = submit_at_office(client, official, page, full_name="赵六", local_id="330033")
    assert response.status_code == 400
    assert "Only residents of" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_person_who_moved_away_is_refused(client, worker, wang, form_page):
    wang.status = PersonStatus.MOVED
    wang.save()
    with translation.override("en"):
        response = submit_at_office(client, worker, form_page)
    assert response.status_code == 400
    assert "not marked as living here" in response.content.decode()


def test_the_per_resident_limit_counts_assisted_and_online(client, tree, worker, wang):
    page = add_page(
        make_consultation(tree.a, slug="c3"),
        SuggestionFormPage(title="意见", slug="s", max_per_resident=1),
    )
    assert submit_at_office(client, worker, page).status_code == 302
    with translation.override("en"):
        response = submit_at_office(client, worker, page)
    assert response.status_code == 400
    assert "already submitted 1 suggestions" in response.content.decode()
    assert Suggestion.objects.filter(page=page).count() == 1


def test_the_operation_refuses_as_online(tree, worker, wang, form_page):
    from consultations.suggestions.operations import submission_refusal

    wang.status = PersonStatus.DECEASED
    assert isinstance(submission_refusal(form_page, None, roster_person=wang), SuggestionRefused)


# --- hearings --------------------------------------------------------------------------


@pytest.fixture
def session(consultation):
    from tests.consultations.hearings.factories import make_hearing

    return make_hearing(consultation).sessions.get()


def registration_post(full_name="王秀英", local_id="110011", **overrides):
    data = {
        "full_name": full_name,
        "local_id": local_id,
        "category": "affected",
        "phone": "",
        "confirm": "on",
    }
    data.update(overrides)
    return data


def register_at_office(client, user, session, **overrides):
    client.force_login(user)
    return client.post(
        reverse("hearings_admin:assisted_register", args=[session.pk]),
        {"session": session.pk, **registration_post(**overrides)},
    )


def test_the_registration_screen_is_reached_from_the_registrants(client, worker, session):
    client.force_login(worker)
    url = reverse("hearings_admin:assisted_register", args=[session.pk])
    registrants = client.get(reverse("hearings_admin:registrants", args=[session.pk]))
    assert url in registrants.content.decode()
    assert client.get(url).status_code == 200


def test_a_worker_registers_a_roster_person(client, worker, wang, session):
    from consultations.hearings.models import Registration

    response = register_at_office(client, worker, session)
    assert response.status_code == 302, response.content.decode()[:500]
    registration = Registration.objects.get(session=session)
    assert registration.assisted_by == worker and registration.roster_person == wang
    assert registration.phone == wang.phone  # the phone on the roster
    assert registration.status == Registration.Status.CONFIRMED and registration.user is None
    logged = ModelLogEntry.objects.get(action="consultations.hearings.assisted_register")
    assert logged.user == worker
    assert logged.data["roster_person"] == wang.pk and logged.data["code"] == registration.code
    with translation.override("en"):
        listing = client.get(reverse("hearings_admin:registrants", args=[session.pk]))
    name = worker.get_full_name() or worker.get_username()
    assert "王秀英" in listing.content.decode()
    assert f"assisted by {name}" in listing.content.decode()
    # A second registration of the same person is the first one.
    assert register_at_office(client, worker, session).status_code == 302
    assert Registration.objects.filter(session=session).count() == 1


def test_seats_and_the_waitlist_apply_as_online(client, tree, worker, consultation):
    from consultations.hearings.models import Registration
    from tests.consultations.hearings.factories import make_hearing, session_fields

    hearing = make_hearing(consultation, slug="small", sessions=[session_fields(seats=1)])
    small = hearing.sessions.get()
    make_person(tree.a, "甲", "100001")
    make_person(tree.a, "乙", "100002")
    assert (
        register_at_office(client, worker, small, full_name="甲", local_id="100001").status_code
        == 302
    )
    assert (
        register_at_office(client, worker, small, full_name="乙", local_id="100002").status_code
        == 302
    )
    statuses = dict(
        Registration.objects.filter(session=small).values_list("roster_person__full_name", "status")
    )
    assert statuses == {"甲": "confirmed", "乙": "waitlisted"}


def test_the_quota_applies_as_online(client, tree, worker, consultation):
    from consultations.hearings.models import Registration
    from tests.consultations.hearings.factories import make_hearing, session_fields

    hearing = make_hearing(
        consultation, slug="quota", sessions=[session_fields(seats=5, quota_expert=0)]
    )
    quota = hearing.sessions.get()
    make_person(tree.a, "丙", "100003")
    response = register_at_office(
        client, worker, quota, full_name="丙", local_id="100003", category="expert"
    )
    assert response.status_code == 302
    assert Registration.objects.get(session=quota).status == "waitlisted"


def test_registering_without_the_right_is_refused(client, editor_a, wang, session):
    from consultations.hearings.models import Registration

    assert_admin_refused(register_at_office(client, editor_a, session))
    assert not Registration.objects.exists()


def test_registering_for_another_community_is_refused(client, editor_b, wang, session):
    from consultations.hearings.models import Registration

    assert_admin_refused(register_at_office(client, with_assist_right(editor_b), session))
    assert not Registration.objects.exists()


def test_a_closed_session_is_refused_at_the_office(client, tree, worker, wang, consultation):
    from consultations.hearings.models import Registration
    from tests.consultations.hearings.factories import make_hearing, session_fields

    closed = make_hearing(
        consultation,
        slug="closed",
        sessions=[session_fields(registration_deadline=timezone.now() - timedelta(hours=1))],
    ).sessions.get()
    with translation.override("en"):
        response = register_at_office(client, worker, closed)
    assert response.status_code == 400
    assert "Registration for this session is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_person_of_an_uncovered_community_is_refused(client, tree, official, session):
    from consultations.hearings.models import Registration

    make_person(tree.b, "赵六", "330033")
    with translation.override("en"):
        response = register_at_office(
            client, with_assist_right(official), session, full_name="赵六", local_id="330033"
        )
    assert response.status_code == 400
    assert "does not cover" in response.content.decode()
    assert not Registration.objects.exists()


def test_one_place_per_person_whichever_way(client, tree, worker, wang, session):
    from consultations.hearings.models import Registration
    from tests.consultations.hearings.factories import register

    account = make_user("wang@example.com", community=tree.b)
    link_account(account, wang, method=LinkMethod.OFFICE)
    online = register(session, account)
    assert online.roster_person == wang
    assert register_at_office(client, worker, session).status_code == 302
    assert Registration.objects.filter(session=session).count() == 1


# --- online hearing registration and the roster ------------------------------------------


def test_online_registration_needs_the_roster_where_one_is_kept(tree, wang, session):
    from consultations.hearings.operations import HearingError
    from tests.consultations.hearings.factories import register

    claimant = make_user("claimant@example.com", community=tree.a)  # says A, not on its roster
    with translation.override("en"):
        with pytest.raises(HearingError) as refused:
            register(session, claimant)
        assert refused.value.status == 403 and "roster" in str(refused.value.message)
    account = make_user("wang@example.com", community=tree.b)
    link_account(account, wang, method=LinkMethod.OFFICE)
    assert register(session, account).status == "confirmed"


def test_online_registration_refusal_is_shown_translated(client, tree, wang, session):
    claimant = make_user("claimant@example.com", community=tree.a)
    client.force_login(claimant)
    page = session.page
    response = client.post(
        page.url + page.reverse_subpage("register"),
        {"session": session.pk, "category": "affected", "phone": "13800138000"},
    )
    assert response.status_code == 400
    assert "名册" in response.content.decode()


def test_without_a_roster_any_signed_in_person_registers(tree, session):
    from tests.consultations.hearings.factories import register

    visitor = make_user("visitor@example.com", community=tree.b)
    assert register(session, visitor).status == "confirmed"
