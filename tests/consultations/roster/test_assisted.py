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
