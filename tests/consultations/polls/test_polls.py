"""Advisory polls: who may vote, review then cast, codes, paper tallies and assisted votes."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from consultations.polls.models import (
    Eligibility,
    PaperTally,
    PollPage,
    VoterRegister,
    VotingCode,
)
from consultations.polls.operations import (
    AlreadyVoted,
    InvalidChoices,
    NotEligible,
    cast_ballot,
    confirm_paper_tally,
    generate_code_batch,
    participant_user_ids,
    voting_decision,
)
from consultations.polls.results import poll_results
from tests.conftest import make_consultation, make_user
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.polls.factories import (
    BENCHES,
    LIGHTS,
    NO,
    PARK,
    Q1,
    Q2,
    YES,
    admin_form_data,
    make_poll,
    recorded_ballots,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(consultation):
    return make_poll(consultation)


def vote_data(q1, *q2, **extra):
    data = {f"q_{Q1}": q1, f"q_{Q2}": list(q2)}
    data.update(extra)
    return data


def en(url):
    """English address of a Chinese page URL (the active language can leak between requests)."""
    return url if url.startswith("/en/") else "/en" + url


def login(client, user):
    client.force_login(user)
    return client


# --- eligibility ---------------------------------------------------------------------------


def test_residents_of_the_covered_community_may_vote_others_are_told_why_not(
    poll, resident, other_resident
):
    from django.contrib.auth.models import AnonymousUser

    assert voting_decision(poll, resident).allowed
    decision = voting_decision(poll, other_resident)
    assert not decision.allowed
    anonymous = voting_decision(poll, AnonymousUser())
    assert not anonymous.allowed
    # The reasons are translated when shown: read them in English, set explicitly.
    with translation.override("en"):
        assert "your profile says you live elsewhere" in str(decision.reason)
        assert str(anonymous.reason).startswith("Log in to vote.")


def test_unverified_resident_cannot_vote(poll, tree):
    unverified = make_user("new@example.com", community=tree.a, verified=False)
    decision = voting_decision(poll, unverified)
    assert not decision.allowed
    with translation.override("en"):
        assert str(decision.reason).startswith("Confirm your email address to vote")
    with pytest.raises(NotEligible):
        cast_ballot(poll, unverified, [YES, PARK])


def test_any_verified_resident_poll_admits_other_communities(consultation, other_resident):
    poll = make_poll(consultation, eligibility=Eligibility.ANY_RESIDENT)
    assert voting_decision(poll, other_resident).allowed
    cast_ballot(poll, other_resident, [NO, LIGHTS])
    assert recorded_ballots().filter(poll=poll).count() == 1


def test_page_tells_resident_why_they_may_not_vote(client, poll, other_resident):
    response = login(client, other_resident).get(en(poll.url))
    assert response.status_code == 200
    assert b"your profile says you live elsewhere" in response.content
    response = client.post(en(poll.url), vote_data(YES, PARK, confirm="1"))
    assert response.status_code == 403
    assert not recorded_ballots().exists()


def test_open_vote_is_announced_before_voting(client, consultation, resident):
    poll = make_poll(consultation, secret=False)
    response = login(client, resident).get(en(poll.url))
    assert b"Open (named) vote" in response.content


# --- review then cast ----------------------------------------------------------------------


def test_resident_reviews_then_casts_once(client, poll, resident):
    login(client, resident)
    response = client.post(en(poll.url), vote_data(YES, PARK, LIGHTS))
    assert response.status_code == 200
    assert b"Check your choices" in response.content
    assert b"Street lights" in response.content
    assert not recorded_ballots().exists()

    response = client.post(en(poll.url), vote_data(YES, PARK, LIGHTS, confirm="1"))
    assert response.status_code == 302
    ballot = recorded_ballots().get()
    assert sorted(ballot.choices) == sorted([YES, PARK, LIGHTS])
    entry = VoterRegister.objects.get()
    assert entry.user == resident and not entry.assisted
    results = poll_results(poll)
    assert results["voters_online"] == 1
    counts = {o["id"]: o["online"] for q in results["questions"] for o in q["options"]}
    assert counts == {YES: 1, NO: 0, PARK: 1, LIGHTS: 1, BENCHES: 0}

    # A flaky connection repeats the post: still one ballot, and a friendly message.
    response = client.post(en(poll.url), vote_data(YES, PARK, LIGHTS, confirm="1"), follow=True)
    assert response.status_code == 200
    assert b"You can vote only once" in response.content
    assert recorded_ballots().count() == 1
    assert VoterRegister.objects.count() == 1


def test_resident_can_change_choices_before_casting(client, poll, resident):
    login(client, resident)
    response = client.post(en(poll.url), vote_data(NO, BENCHES, edit="1"))
    assert response.status_code == 200
    assert b"Review my choices" in response.content
    assert not recorded_ballots().exists()


def test_second_cast_is_refused_by_the_register(poll, resident):
    cast_ballot(poll, resident, [YES, PARK])
    with pytest.raises(AlreadyVoted):
        cast_ballot(poll, resident, [NO, LIGHTS])
    assert recorded_ballots().count() == 1


@pytest.mark.parametrize(
    "choices",
    [
        vote_data(YES),  # multiple choice needs at least one
        vote_data(YES, PARK, LIGHTS, BENCHES),  # at most two
        vote_data("not-an-option", PARK),
        {},
    ],
)
def test_invalid_choices_are_rejected_with_400(client, poll, resident, choices):
    response = login(client, resident).post(en(poll.url), {**choices, "confirm": "1"})
    assert response.status_code == 400
    assert not recorded_ballots().exists()


def test_choices_are_checked_by_the_operation_too(poll, resident):
    with pytest.raises(InvalidChoices):
        cast_ballot(poll, resident, [YES, NO, PARK])
    assert not VoterRegister.objects.exists()


def test_not_yet_open_and_closed_polls_refuse_votes(client, consultation, resident):
    now = timezone.now()
    future = make_poll(
        consultation,
        slug="future",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    past = make_poll(
        consultation,
        slug="past",
        opens_at=now - timedelta(days=5),
        closes_at=now - timedelta(days=1),
    )
    login(client, resident)
    for closed_poll, text in ((future, b"Voting opens on"), (past, b"Voting closed on")):
        response = client.get(en(closed_poll.url))
        assert text in response.content
        response = client.post(en(closed_poll.url), vote_data(YES, PARK, confirm="1"))
        assert response.status_code == 403
        with pytest.raises(NotEligible):
            cast_ballot(closed_poll, resident, [YES, PARK])
    assert not recorded_ballots().exists()


def test_a_voter_is_told_after_the_close_that_their_ballot_counted(
    client, consultation, resident, other_resident
):
    poll = make_poll(consultation)
    cast_ballot(poll, resident, [YES, PARK])
    PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    login(client, resident)
    html = client.get(en(poll.url)).content.decode()
    assert "Voting closed on" in html
    assert "You voted in this poll." in html
    login(client, other_resident)
    html = client.get(en(poll.url)).content.decode()
    assert "Voting closed on" in html
    assert "You voted in this poll." not in html


# --- codes ---------------------------------------------------------------------------------


@pytest.fixture
def code_poll(consultation, editor_a):
    poll = make_poll(consultation, slug="codes", eligibility=Eligibility.CODES)
    generate_code_batch(poll, 3, label="Building 1", user=editor_a)
    return poll


def test_code_holder_votes_once_without_an_account(client, code_poll, consultation):
    code = VotingCode.objects.filter(poll=code_poll).first()
    response = client.get(en(code_poll.url))
    assert b"Voting code" in response.content
    response = client.post(en(code_poll.url), vote_data(YES, PARK, code=code.code.lower()))
    assert b"Check your choices" in response.content
    response = client.post(en(code_poll.url), vote_data(YES, PARK, code=code.code, confirm="1"))
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.used
    assert VoterRegister.objects.get().voting_code == code
    # The same browser repeating the post is told the ballot was recorded.
    response = client.post(
        en(code_poll.url), vote_data(YES, PARK, code=code.code, confirm="1"), follow=True
    )
    assert b"You can vote only once" in response.content
    # Someone else with the same (used) code is refused.
    other = client.__class__()
    response = other.post(en(code_poll.url), vote_data(NO, BENCHES, code=code.code, confirm="1"))
    assert response.status_code == 400
    assert b"already been used" in response.content
    assert recorded_ballots().count() == 1


def test_code_of_another_poll_or_unknown_code_is_refused(client, code_poll, consultation, editor_a):
    other_poll = make_poll(consultation, slug="other", eligibility=Eligibility.CODES)
    batch = generate_code_batch(other_poll, 1, user=editor_a)
    foreign = batch.codes.get().code
    for code in (foreign, "WRONG123"):
        response = client.post(en(code_poll.url), vote_data(YES, PARK, code=code, confirm="1"))
        assert response.status_code == 400
        assert b"not valid for this poll" in response.content
    with pytest.raises(NotEligible):
        cast_ballot(code_poll, None, [YES, PARK], code=foreign)
    assert not recorded_ballots().exists()


def test_staff_generate_and_print_codes(client, code_poll, editor_a):
    login(client, editor_a)
    url = reverse("polls_admin:new_code_batch", args=[code_poll.pk])
    response = client.post(url, {"size": 12, "label": "Group 3", "distributed_to": "组长"})
    assert response.status_code == 302
    batch = code_poll.code_batches.get(label="Group 3")
    assert batch.codes.count() == 12
    sheet = client.post(reverse("polls_admin:code_sheet", args=[code_poll.pk, batch.pk]))
    assert sheet.status_code == 200
    for code in batch.codes.all():
        assert code.code.encode() in sheet.content
    assert b"<svg" in sheet.content
    entry = PageLogEntry.objects.get(
        page=code_poll, action="consultations.polls.generate_codes", data__batch=batch.pk
    )
    assert entry.user == editor_a and entry.data["size"] == 12
    dashboard = client.get(reverse("polls_admin:dashboard", args=[code_poll.pk]))
    assert b"Group 3" in dashboard.content
    assert client.post(url, {"size": 0}).status_code == 400


def test_codes_use_the_shared_unambiguous_alphabet(code_poll):
    from consultations.codes import CODE_ALPHABET

    assert not set("0O1IL") & set(CODE_ALPHABET)
    for code in VotingCode.objects.filter(poll=code_poll).values_list("code", flat=True):
        assert set(code) <= set(CODE_ALPHABET)


def test_a_code_issued_with_the_old_alphabet_is_still_found(code_poll):
    from consultations.polls.operations import find_code

    batch = code_poll.code_batches.get()
    old = VotingCode.objects.create(poll=code_poll, batch=batch, code="LLAB2345")
    assert find_code(code_poll, " llab-2345 ").pk == old.pk


# --- paper tallies and assisted votes --------------------------------------------------------


def test_staff_enter_paper_tally_and_results_show_online_paper_and_combined(
    client, poll, editor_a, reviewer_a, resident
):
    PollPage.objects.filter(pk=poll.pk).update(electorate=200)
    poll.refresh_from_db()
    cast_ballot(poll, resident, [YES, PARK])
    login(client, editor_a)
    url = reverse("polls_admin:new_paper_tally", args=[poll.pk])
    data = {
        "meeting_date": "2026-11-20",
        "voters": 30,
        f"o_{YES}": 20,
        f"o_{NO}": 10,
        f"o_{PARK}": 25,
        f"o_{LIGHTS}": 12,
        f"o_{BENCHES}": 0,
        "minutes": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    tally = PaperTally.objects.get()
    assert tally.minutes is not None and tally.entered_by == editor_a
    assert tally.meeting_date == date(2026, 11, 20)
    confirm_paper_tally(tally, reviewer_a)  # a second staff member (tests/…/test_duties.py)
    results = poll_results(poll)
    yes = results["questions"][0]["options"][0]
    # One online voter is too small a group to show apart from the paper ballots.
    assert not results["split"]
    assert (yes["online"], yes["paper"], yes["combined"]) == (None, None, 21)
    assert results["voters_total"] == 31
    for i in range(9):
        cast_ballot(
            poll, make_user(f"more{i}@example.com", community=resident.community), [NO, PARK]
        )
    results = poll_results(poll)
    yes = results["questions"][0]["options"][0]
    assert results["split"] and (yes["online"], yes["paper"], yes["combined"]) == (1, 20, 21)
    assert PageLogEntry.objects.filter(action="consultations.polls.paper_tally").exists()

    # Counts that exceed the ballots cast are refused.
    data["voters"] = 5
    data["minutes"] = SimpleUploadedFile("m.pdf", b"%PDF", "application/pdf")
    assert client.post(url, data).status_code == 400


def test_assisted_vote_uses_the_register(client, poll, editor_a, resident):
    login(client, editor_a)
    url = reverse("polls_admin:assisted_vote", args=[poll.pk])
    data = vote_data(NO, BENCHES, resident_email=resident.email, confirm="on")
    response = client.post(url, data)
    assert response.status_code == 302
    entry = VoterRegister.objects.get()
    assert entry.assisted and entry.assisted_by == editor_a and entry.user == resident
    logged = PageLogEntry.objects.get(page=poll, action="consultations.polls.assisted_vote")
    assert logged.user == editor_a
    assert logged.data == {"register_entry": entry.pk}  # who helped, never what was chosen
    # The resident cannot vote again online, nor be assisted twice.
    assert voting_decision(poll, resident).already_voted
    response = client.post(url, data)
    assert response.status_code == 400
    assert recorded_ballots().count() == 1


def test_staff_of_another_community_cannot_manage_the_poll(client, poll, editor_b, resident):
    login(client, editor_b)
    for name in ("dashboard", "new_code_batch", "new_paper_tally", "assisted_vote"):
        # The Wagtail admin turns PermissionDenied into a redirect with a message.
        assert_admin_refused(client.get(reverse(f"polls_admin:{name}", args=[poll.pk])))
    response = client.get(reverse("polls_admin:export", args=[poll.pk, "csv"]))
    assert_admin_refused(response)
    assert "attachment" not in response.get("Content-Disposition", "")
    client.force_login(resident)
    response = client.get(reverse("polls_admin:dashboard", args=[poll.pk]))
    assert response.status_code in (302, 403)


def test_staff_export_aggregated_results(client, poll, editor_a, resident):
    cast_ballot(poll, resident, [YES, PARK])
    # A secret poll's counts are exported once voting has closed (tests/…/test_secrecy.py).
    PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    login(client, editor_a)
    response = client.get(reverse("polls_admin:export", args=[poll.pk, "csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Street lights" in text
    assert resident.email not in text
    response = client.get(reverse("polls_admin:export", args=[poll.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    dashboard = client.get(reverse("polls_admin:dashboard", args=[poll.pk]))
    assert dashboard.status_code == 200


def test_publishing_results_is_audit_logged(client, consultation, reviewer_a):
    poll = make_poll(consultation, results_visibility="after_publish")
    login(client, reviewer_a)
    response = client.post(reverse("polls_admin:publish", args=[poll.pk]))
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.results_published
    assert PageLogEntry.objects.filter(
        page=poll, action="consultations.polls.publish_results", user=reviewer_a
    ).exists()


def test_editor_without_publish_rights_cannot_publish_results(client, consultation, editor_a):
    poll = make_poll(consultation, results_visibility="after_publish")
    login(client, editor_a)
    assert_admin_refused(client.post(reverse("polls_admin:publish", args=[poll.pk])))
    poll.refresh_from_db()
    assert not poll.results_published


# --- contract and card -----------------------------------------------------------------------


def test_participant_user_ids_lists_who_voted_never_what(poll, resident, consultation, tree):
    neighbour = make_user("neighbour@example.com", community=tree.a)
    cast_ballot(poll, resident, [YES, PARK])
    assert participant_user_ids(consultation) == {resident.pk}
    other = make_consultation(tree.a, slug="other")
    other_poll = make_poll(other, slug="p2")
    cast_ballot(other_poll, neighbour, [NO, LIGHTS])
    assert participant_user_ids(consultation) == {resident.pk}


def test_consultation_page_shows_the_poll_card(client, poll, resident):
    cast_ballot(poll, resident, [YES, PARK])
    response = client.get(en(poll.consultation.url))
    assert response.status_code == 200
    assert b"Advisory poll" in response.content
    assert b"Voting open" in response.content


def test_poll_can_be_edited_in_the_admin(client, poll, superuser):
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[poll.pk]))
    assert response.status_code == 200
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["consultations", "pollpage", poll.consultation.pk])
    )
    assert response.status_code == 200


def test_deleting_a_poll_removes_its_codes_register_and_ballots(poll, consultation, editor_a):
    from consultations.polls.models import PollPage

    code_poll = make_poll(consultation, slug="codes-del", eligibility=Eligibility.CODES)
    code = generate_code_batch(code_poll, 2, user=editor_a).codes.first()
    cast_ballot(code_poll, None, [YES, PARK], code=code.code)
    PollPage.objects.get(pk=code_poll.pk).delete()
    assert not VotingCode.objects.exists()
    assert not VoterRegister.objects.exists()
    assert not recorded_ballots().exists()


def test_unsaved_poll_preview_renders(rf, consultation):
    import json

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from consultations.polls.models import PollPage
    from tests.consultations.polls.factories import DEFAULT_QUESTIONS

    now = timezone.now()
    draft = PollPage(
        title="Draft poll",
        slug="draft",
        questions=json.dumps(DEFAULT_QUESTIONS),
        opens_at=now,
        closes_at=now + timedelta(days=3),
    )
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    with translation.override("en"):
        response = draft.serve_preview(request, "")
        response.render()
    assert response.status_code == 200
    assert b"This is a preview: voting opens once the poll is published." in response.content


def test_editing_options_in_the_admin_keeps_their_ids_and_votes(client, poll, superuser, resident):
    from consultations.polls.models import PollPage

    cast_ballot(poll, resident, [YES, PARK])
    client.force_login(superuser)
    edit_url, data = admin_form_data(client, poll, {YES: "Yes, pave it"})
    data["action-publish"] = "action-publish"
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    edited = PollPage.objects.get(pk=poll.pk)
    options = {o["id"]: o["label"] for q in edited.question_list for o in q["options"]}
    assert options[YES] == "Yes, pave it"
    assert set(options) == {YES, NO, PARK, LIGHTS, BENCHES}
    assert poll_results(edited)["questions"][0]["options"][0]["online"] == 1

    # Removing an option that may hold votes is refused once ballots exist.
    edit_url, data = admin_form_data(client, edited, {NO: None})
    data["action-publish"] = "action-publish"
    response = client.post(edit_url, data)
    assert response.status_code == 200
    assert "questions" in response.context["form"].errors
    assert NO in PollPage.objects.get(pk=poll.pk).option_ids()
