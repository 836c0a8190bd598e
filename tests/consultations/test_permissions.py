"""Who may do what (consultations.permissions), role by role, on objects of community A.

Each predicate is asked for every role: anonymous, a verified resident of A, the editors
of A and of B, a reviewer of A, an official of the township above A, a legal reviewer and
a superuser. A few admin URLs are then requested to show the one refusal of the admin.
"""

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from consultations import permissions
from consultations.communities.operations import (
    community_review_task,
    ensure_area_officials_group,
    ensure_community_groups,
)
from consultations.models import ConsultationPage, OutcomePage, Suggestion, SuggestionFormPage
from consultations.outcomes.operations import legal_review_task
from tests.conftest import add_page, make_consultation, make_user
from tests.consultations.conftest import ROLES, XHR, assert_admin_refused
from tests.consultations.hearings.factories import make_hearing
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import make_poll
from tests.consultations.roster.factories import make_person


def allowed(*roles):
    """Parametrise over every role: True for `roles`, False for the others."""
    return pytest.mark.parametrize(("role", "expected"), [(role, role in roles) for role in ROLES])


EVERY_SIGNED_IN = [role for role in ROLES if role != "anonymous"]
STAFF_OF_A = ("editor_a", "reviewer_a", "official", "superuser")
PUBLISHERS_OF_A = ("reviewer_a", "official", "superuser")
OFFICIALS = ("official", "superuser")


@pytest.fixture
def form_page(consultation):
    return add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))


@pytest.fixture
def suggestion(form_page, resident):
    return Suggestion.objects.create(
        page=form_page,
        user=resident,
        token=uuid.uuid4().hex,
        form_data={"title": "增设路灯", "opinion": "村口太暗", "topic_part": ""},
    )


@pytest.fixture
def hearing(consultation):
    return make_hearing(consultation)


@pytest.fixture
def poll(consultation):
    return make_poll(consultation)


@pytest.fixture
def outcome(consultation):
    return make_outcome(consultation)


# --- roles -------------------------------------------------------------------------------


@allowed(*EVERY_SIGNED_IN)
def test_is_verified_resident(as_role, role, expected):
    assert permissions.is_verified_resident(as_role(role)) is expected


def test_an_unconfirmed_email_is_not_verified(tree):
    user = make_user("unconfirmed@example.com", community=tree.a, verified=False)
    assert not permissions.is_verified_resident(user)
    EmailAddress.objects.filter(user=user).update(verified=True)
    # The account's facts are asked once per request (kept on the user object): the next
    # request, with the user loaded afresh, sees the confirmation.
    assert permissions.is_verified_resident(type(user).objects.get(pk=user.pk))
    assert not permissions.is_verified_resident(None)


@allowed(*OFFICIALS)
def test_is_official(as_role, role, expected):
    assert permissions.is_official(as_role(role)) is expected


@allowed(*OFFICIALS)
def test_is_official_above(as_role, consultation, role, expected):
    assert permissions.is_official_above(as_role(role), consultation) is expected


@allowed("legal_reviewer", "superuser")
def test_is_legal_reviewer(as_role, role, expected):
    assert permissions.is_legal_reviewer(as_role(role), legal_review_task()) is expected


# --- pages in general --------------------------------------------------------------------


@allowed(*STAFF_OF_A)
def test_pages_user_can_change(as_role, consultation, role, expected):
    pages = permissions.pages_user_can_change(as_role(role))
    assert pages.filter(pk=consultation.pk).exists() is expected


@allowed(*STAFF_OF_A)
def test_staff_page_scope(as_role, consultation, role, expected):
    scope = permissions.staff_page_scope(as_role(role))
    if role in ("anonymous", "resident", "legal_reviewer"):
        assert scope is None  # no page permissions at all
    seen = scope is not None and ConsultationPage.objects.filter(scope, pk=consultation.pk)
    assert bool(seen) is expected


@allowed(*PUBLISHERS_OF_A)
def test_approval_tasks_for(as_role, tree, role, expected):
    task = community_review_task(tree.a)
    tasks = permissions.approval_tasks_for(as_role(role))
    assert tasks.filter(pk=task.pk).exists() is expected


# --- suggestions -------------------------------------------------------------------------


@allowed(*STAFF_OF_A)
def test_can_moderate_suggestions(as_role, form_page, role, expected):
    assert permissions.can_moderate_suggestions(as_role(role), form_page) is expected


@allowed("resident", *STAFF_OF_A)
def test_can_read_attachment(as_role, suggestion, role, expected):
    # The suggestion is the resident's own.
    assert permissions.can_read_attachment(as_role(role), suggestion) is expected


def test_another_resident_cannot_read_the_attachment(suggestion, other_resident):
    assert not permissions.can_read_attachment(other_resident, suggestion)


@allowed(*STAFF_OF_A)
def test_pages_and_suggestions_user_can_moderate(as_role, suggestion, role, expected):
    user = as_role(role)
    pages = permissions.pages_user_can_moderate(user)
    assert pages.filter(pk=suggestion.page_id).exists() is expected
    suggestions = permissions.suggestions_user_can_moderate(user)
    assert suggestions.filter(pk=suggestion.pk).exists() is expected


@allowed(*STAFF_OF_A)
def test_can_see_suggestion_queue(as_role, form_page, role, expected):
    # Community B has no suggestion form, so its editor has no queue.
    assert permissions.can_see_suggestion_queue(as_role(role)) is expected


@allowed(*[role for role in EVERY_SIGNED_IN if role != "resident"])
def test_can_support(as_role, suggestion, role, expected):
    # A published suggestion of the resident: every other verified account, not its author.
    suggestion.status = Suggestion.Status.PUBLISHED
    assert permissions.can_support(as_role(role), suggestion) is expected


@allowed()
def test_nobody_supports_an_unpublished_suggestion(as_role, suggestion, role, expected):
    assert permissions.can_support(as_role(role), suggestion) is expected


@allowed(*EVERY_SIGNED_IN)
def test_may_support_on(as_role, form_page, role, expected):
    # The page-level rule (verified, of the restricted community if any); the rule against
    # supporting one's own suggestion is can_support's.
    assert permissions.may_support_on(as_role(role), form_page) is expected


@allowed("editor_a", "editor_b", "reviewer_a", "official", "superuser")
def test_must_use_two_factor(as_role, role, expected):
    assert permissions.must_use_two_factor(as_role(role)) is expected


# --- hearings ----------------------------------------------------------------------------


@allowed(*STAFF_OF_A)
def test_can_manage_registrations(as_role, hearing, role, expected):
    assert permissions.can_manage_registrations(as_role(role), hearing) is expected


def test_managing_registrations_needs_a_staff_account(tree, hearing):
    editors, _reviewers = ensure_community_groups(tree.a)
    not_staff = make_user("helper@example.com", groups=[editors])
    assert hearing.permissions_for_user(not_staff).can_edit()
    assert not permissions.can_manage_registrations(not_staff, hearing)


# --- polls -------------------------------------------------------------------------------


@allowed(*STAFF_OF_A)
def test_can_manage_poll(as_role, poll, role, expected):
    assert permissions.can_manage_poll(as_role(role), poll) is expected


@allowed(*STAFF_OF_A)
def test_can_manage_codes(as_role, consultation, poll, role, expected):
    from consultations.polls.models import Eligibility

    code_poll = make_poll(consultation, slug="code-poll", eligibility=Eligibility.CODES)
    assert permissions.can_manage_codes(as_role(role), code_poll) is expected
    assert permissions.can_manage_codes(as_role(role), poll) is False  # takes no codes


@allowed(*PUBLISHERS_OF_A)
def test_can_publish_poll_results(as_role, poll, role, expected):
    assert permissions.can_publish_poll_results(as_role(role), poll) is expected


# --- consultations: one review, templates ---------------------------------------------------


@allowed(*PUBLISHERS_OF_A)
def test_can_publish_with_consultation(as_role, poll, role, expected):
    # The approver of a consultation publishes its bundled pages only with rights on them.
    assert permissions.can_publish_with_consultation(as_role(role), poll) is expected


@allowed(*STAFF_OF_A)
def test_can_start_consultation(as_role, tree, role, expected):
    user = as_role(role)
    assert permissions.can_start_consultation(user, tree.a) is expected
    assert permissions.consultation_places_for(user).filter(pk=tree.a.pk).exists() is expected


@allowed(*STAFF_OF_A, "editor_b")
def test_may_start_consultations(as_role, tree, role, expected):
    # The admin menu item: add rights somewhere (the screen then offers only those places).
    assert permissions.may_start_consultations(as_role(role)) is expected


@allowed("official", "superuser")
def test_can_start_consultation_at_the_township(as_role, tree, role, expected):
    assert permissions.can_start_consultation(as_role(role), tree.township) is expected


def test_no_consultation_below_a_consultation_nor_by_the_editor_of_another_place(
    tree, consultation, editor_b, superuser
):
    assert not permissions.can_start_consultation(superuser, consultation)
    assert not permissions.can_start_consultation(editor_b, tree.a)


# --- outcomes ----------------------------------------------------------------------------


@allowed()
def test_can_publish_outcome(as_role, outcome, role, expected):
    # Nobody presses Publish on an outcome, superusers included: the legal review's
    # confirmation publishes it (tests/consultations/outcomes/test_legal_review_paths.py).
    outcome = OutcomePage.objects.get(pk=outcome.pk)
    outcome.save_revision()
    assert permissions.can_publish_outcome(as_role(role), outcome) is expected


@allowed("superuser")
def test_can_override_legal_review(as_role, consultation, role, expected):
    draft = make_outcome(consultation, live=False, slug="draft-outcome")
    assert permissions.can_override_legal_review(as_role(role), draft) is expected


@allowed(*STAFF_OF_A)
def test_can_record_progress(as_role, outcome, role, expected):
    assert permissions.can_record_progress(as_role(role), outcome) is expected


@allowed(*OFFICIALS)
def test_can_see_reports(as_role, consultation, role, expected):
    user = as_role(role)
    assert permissions.can_see_reports(user) is expected
    assert permissions.can_see_reports(user, consultation) is expected
    assert permissions.report_pages(user).filter(pk=consultation.pk).exists() is expected


def test_an_official_sees_no_report_entries_of_another_township(tree, official):
    street_official = make_user(
        "official-c@example.com", staff=True, groups=[ensure_area_officials_group(tree.street)]
    )
    consultation_c = make_consultation(tree.c, slug="c")
    assert permissions.can_see_reports(street_official, consultation_c)
    assert not permissions.can_see_reports(official, consultation_c)


# --- the ledger and the compliance report --------------------------------------------------


@pytest.fixture
def ledger_entry(consultation):
    from consultations.ledger.operations import sync_entry

    return sync_entry(consultation.pk)


@pytest.fixture
def offline_entry(tree):
    from django.utils import timezone

    from tests.consultations.ledger.factories import manual_entry

    return manual_entry(tree.a, timezone.localdate())


@allowed("editor_a", "editor_b", "reviewer_a", "official", "superuser")
def test_can_see_ledger(as_role, tree, role, expected):
    assert permissions.can_see_ledger(as_role(role)) is expected
    assert permissions.can_add_ledger_entry(as_role(role)) is expected


@allowed(*STAFF_OF_A)
def test_ledger_entries_for(as_role, ledger_entry, role, expected):
    visible = permissions.ledger_entries_for(as_role(role))
    assert visible.filter(pk=ledger_entry.pk).exists() is expected


@allowed(*STAFF_OF_A)
def test_ledger_communities_for(as_role, tree, role, expected):
    assert (
        permissions.ledger_communities_for(as_role(role)).filter(pk=tree.a.pk).exists() is expected
    )


@allowed(*STAFF_OF_A)
def test_can_change_ledger_entry(as_role, ledger_entry, offline_entry, role, expected):
    user = as_role(role)
    assert permissions.can_change_ledger_entry(user, ledger_entry) is expected
    assert permissions.can_change_ledger_entry(user, offline_entry) is expected


@allowed(*STAFF_OF_A)
def test_can_delete_ledger_entry_only_manual(as_role, ledger_entry, offline_entry, role, expected):
    user = as_role(role)
    assert permissions.can_delete_ledger_entry(user, offline_entry) is expected
    assert permissions.can_delete_ledger_entry(user, ledger_entry) is False


@allowed(*OFFICIALS)
def test_can_see_compliance_report(as_role, tree, role, expected):
    user = as_role(role)
    assert permissions.can_see_compliance_report(user) is expected
    assert permissions.compliance_communities_for(user).filter(pk=tree.a.pk).exists() is expected


def test_a_township_entry_is_seen_by_editors_of_covered_communities_but_kept_by_officials(
    tree, editor_a, official
):
    from consultations.ledger.operations import sync_entry

    consultation = make_consultation(tree.township, slug="cross")
    consultation.covered_communities.set([tree.a, tree.b])
    consultation.save_revision().publish()
    entry = sync_entry(consultation.pk)
    assert permissions.ledger_entries_for(editor_a).filter(pk=entry.pk).exists()
    assert not permissions.can_change_ledger_entry(editor_a, entry)
    assert permissions.can_change_ledger_entry(official, entry)


def test_the_public_record_excludes_pages_with_a_view_restriction(tree, consultation):
    from wagtail.models import PageViewRestriction

    assert (
        permissions.public_record_pages(ConsultationPage.objects.all())
        .filter(pk=consultation.pk)
        .exists()
    )
    PageViewRestriction.objects.create(page=consultation, restriction_type="login")
    assert (
        not permissions.public_record_pages(ConsultationPage.objects.all())
        .filter(pk=consultation.pk)
        .exists()
    )


# --- the roster --------------------------------------------------------------------------


@allowed(*STAFF_OF_A)
def test_can_view_roster(as_role, tree, role, expected):
    assert permissions.can_view_roster(as_role(role), tree.a) is expected


@allowed(*STAFF_OF_A)
def test_can_change_roster(as_role, tree, role, expected):
    assert permissions.can_change_roster(as_role(role), tree.a) is expected


@allowed(*STAFF_OF_A)
def test_can_export_roster(as_role, tree, role, expected):
    assert permissions.can_export_roster(as_role(role), tree.a) is expected


@allowed(*STAFF_OF_A)
def test_can_link_roster(as_role, tree, role, expected):
    assert permissions.can_link_roster(as_role(role), tree.a) is expected


@allowed("superuser")
def test_can_act_for_person_needs_the_assist_right(as_role, tree, role, expected):
    person = make_person(tree.a)
    assert permissions.can_act_for_person(as_role(role), person) is expected


@allowed(*STAFF_OF_A)
def test_pages_user_may_administer_include_communitys_consultation(
    as_role, consultation, role, expected
):
    user = as_role(role)
    scope = permissions.pages_user_may_administer(user) if user.is_authenticated else None
    assert (scope is not None and scope.filter(pk=consultation.pk).exists()) is expected


@allowed(*OFFICIALS)
def test_can_move_page_to_the_township(as_role, consultation, tree, role, expected):
    assert permissions.can_move_page_to(as_role(role), consultation, tree.township) is expected


@allowed("superuser")
def test_may_assist_residents(as_role, role, expected):
    assert permissions.may_assist_residents(as_role(role)) is expected


@allowed("editor_a", "editor_b", "reviewer_a", "official", "superuser")
def test_can_see_rosters(as_role, tree, role, expected):
    assert permissions.can_see_rosters(as_role(role)) is expected


def test_can_act_for_person_with_the_assist_right_in_ones_own_community(tree, editor_a, editor_b):
    from django.contrib.auth.models import Permission

    right = Permission.objects.get(codename="assist_resident")
    for user in (editor_a, editor_b):
        user.user_permissions.add(right)
    person = make_person(tree.a)
    assert permissions.can_act_for_person(type(editor_a).objects.get(pk=editor_a.pk), person)
    assert not permissions.can_act_for_person(type(editor_b).objects.get(pk=editor_b.pk), person)


def test_roster_communities_are_the_users_own(tree, editor_a, official):
    assert set(permissions.roster_communities(editor_a)) == {tree.a}
    assert set(permissions.roster_communities(official)) == {tree.a, tree.b}


# --- the one admin refusal, over HTTP ----------------------------------------------------


def admin_urls(suggestion, hearing, poll, outcome):
    return {
        "suggestion": reverse("suggestions_admin:detail", args=[suggestion.pk]),
        "suggestion export": reverse("suggestions_admin:export", args=[suggestion.page_id, "csv"]),
        "registrants": reverse("hearings_admin:registrants", args=[hearing.sessions.get().pk]),
        "poll dashboard": reverse("polls_admin:dashboard", args=[poll.pk]),
        "poll export": reverse("polls_admin:export", args=[poll.pk, "csv"]),
        "implementation": reverse("outcomes_admin:implementation", args=[outcome.pk]),
        "roster": reverse("roster_admin:roster", args=[outcome.get_parent().get_parent().pk]),
        "roster export": reverse(
            "roster_admin:export", args=[outcome.get_parent().get_parent().pk, "csv"]
        ),
    }


@pytest.mark.parametrize(
    "view",
    [
        "suggestion",
        "suggestion export",
        "registrants",
        "poll dashboard",
        "poll export",
        "implementation",
        "roster",
        "roster export",
    ],
)
def test_admin_views_refuse_staff_of_another_community_alike(
    client, editor_a, editor_b, suggestion, hearing, poll, outcome, view
):
    if view == "poll export":
        # A secret poll's counts are exported once voting has closed (polls/test_secrecy.py).
        from datetime import timedelta

        from django.utils import timezone

        from consultations.models import PollPage

        PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    url = admin_urls(suggestion, hearing, poll, outcome)[view]
    client.force_login(editor_b)
    refused = client.get(url)
    assert_admin_refused(refused)
    assert "attachment" not in refused.get("Content-Disposition", "")
    assert client.get(url, **XHR).status_code == 403
    client.force_login(editor_a)
    assert client.get(url).status_code == 200


def test_reports_refuse_community_staff_and_admit_officials(
    client, consultation, reviewer_a, official
):
    url = reverse("outcomes_admin:overdue")
    client.force_login(reviewer_a)
    assert_admin_refused(client.get(url))
    assert client.get(url, **XHR).status_code == 403
    client.force_login(official)
    assert client.get(url).status_code == 200


def test_publishing_poll_results_refuses_an_editor_and_changes_nothing(
    client, consultation, editor_a
):
    poll = make_poll(consultation, results_visibility="after_publish")
    client.force_login(editor_a)
    assert_admin_refused(client.post(reverse("polls_admin:publish", args=[poll.pk])))
    poll.refresh_from_db()
    assert not poll.results_published


def test_residents_are_sent_to_log_in_not_refused_inside_the_admin(client, resident, poll):
    client.force_login(resident)
    response = client.get(reverse("polls_admin:dashboard", args=[poll.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]
