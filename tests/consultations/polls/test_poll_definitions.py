"""Poll definitions that cannot break ballots: ids unique whatever the editor does, and
voting-code actions only for polls that take codes."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import PageLogEntry

from consultations.polls.models import Eligibility, PollPage, VotingCode
from consultations.polls.operations import PollError, cast_ballot, generate_code_batch
from tests.conftest import PASSWORD
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.polls.factories import (
    NO,
    PARK,
    Q1,
    Q2,
    YES,
    admin_form_data,
    make_poll,
    question,
)


def all_ids(poll):
    ids = []
    for q in poll.question_list:
        ids.append(q["id"])
        ids.extend(o["id"] for o in q["options"])
    return ids


def stored_ids(raw_questions):
    data = json.loads(raw_questions) if isinstance(raw_questions, str) else raw_questions
    ids = []
    for q in data:
        ids.append(q["id"])
        ids.extend(o["id"] for o in q["value"]["options"])
    return ids


@pytest.fixture
def poll(consultation):
    return make_poll(consultation)


@pytest.mark.parametrize("action", ["action-publish", None])
def test_an_inserted_question_with_a_copied_option_id_gets_its_own_id(
    client, poll, superuser, action
):
    """The admin's "Insert a block" sent the first option of both questions with one id."""
    client.force_login(superuser)
    edit_url, data = admin_form_data(client, poll, {})
    data["questions-1-value-options-0-id"] = YES  # question 2's first option: YES's id
    data["questions-1-id"] = Q1  # and the question's own id copied too
    if action:
        data[action] = action
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = PollPage.objects.get(pk=poll.pk)
    draft = page.get_latest_revision().as_object()
    for version in (draft, page) if action else (draft,):
        ids = all_ids(version)
        assert len(ids) == len(set(ids)), ids
        first = version.question_list[0]
        assert first["id"] == Q1 and first["options"][0]["id"] == YES  # the first keeps it
    # The stored revision content itself has no duplicates (what a later publish uses).
    ids = stored_ids(page.get_latest_revision().content["questions"])
    assert len(ids) == len(set(ids))


def test_a_published_poll_with_an_inserted_question_takes_every_valid_ballot(
    client, poll, superuser, resident
):
    client.force_login(superuser)
    edit_url, data = admin_form_data(client, poll, {})
    data["questions-1-value-options-0-id"] = YES
    data["action-publish"] = "action-publish"
    assert client.post(edit_url, data).status_code == 302
    page = PollPage.objects.get(pk=poll.pk)
    second_first = page.question_list[1]["options"][0]["id"]
    assert second_first != YES
    # Both questions' first options are separate choices the ballot accepts.
    cast_ballot(page, resident, [YES, second_first])


def test_duplicate_ids_from_code_are_fixed_at_save(consultation):
    poll = make_poll(
        consultation,
        questions=[
            question(Q1, "One?", [(YES, "Yes"), (NO, "No")]),
            question(Q1, "Two?", [(YES, "Yes"), (YES, "Also yes")]),
        ],
    )
    ids = all_ids(PollPage.objects.get(pk=poll.pk))
    assert len(ids) == len(set(ids)) == 6


def test_copying_a_poll_keeps_its_ids_unique(consultation, superuser):
    poll = make_poll(consultation)
    copy = poll.copy(update_attrs={"slug": "copy", "title": "Copy"}, user=superuser)
    ids = all_ids(PollPage.objects.get(pk=copy.pk))
    assert len(ids) == len(set(ids))


def _corrupt(poll):
    """Duplicates as polls saved before the fix may have them (straight into the table)."""
    raw = [
        question(Q1, "One?", [(YES, "Yes"), (NO, "No")]),
        question(Q2, "Two?", [(YES, "Park"), (PARK, "Lights")]),
    ]
    PollPage.objects.filter(pk=poll.pk).update(questions=json.dumps(raw))
    revision = poll.get_latest_revision() or poll.save_revision()
    revision.content["questions"] = json.dumps(raw)
    revision.save(update_fields=["content"])


def test_repair_command_fixes_polls_without_votes_and_leaves_polls_with_votes(
    consultation, resident
):
    clean = make_poll(consultation, slug="clean")
    broken = make_poll(consultation, slug="broken")
    voted = make_poll(consultation, slug="voted")
    _corrupt(broken)
    cast_ballot(voted, resident, [YES, PARK])
    _corrupt(voted)
    assert len(set(all_ids(PollPage.objects.get(pk=broken.pk)))) == 5  # one shared id

    call_command(
        "polls_repair_option_ids", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w")
    )

    repaired = PollPage.objects.get(pk=broken.pk)
    assert len(set(all_ids(repaired))) == 6
    ids = stored_ids(repaired.get_latest_revision().content["questions"])
    assert len(ids) == len(set(ids))
    assert PageLogEntry.objects.filter(
        page=broken, action="consultations.polls.repair_option_ids"
    ).exists()
    assert len(set(all_ids(PollPage.objects.get(pk=voted.pk)))) == 5  # left for a person
    assert all_ids(PollPage.objects.get(pk=clean.pk)) == all_ids(clean)  # untouched


def test_codes_cannot_be_generated_for_a_poll_that_does_not_take_them(
    client, consultation, editor_a
):
    poll = make_poll(consultation, eligibility=Eligibility.COMMUNITY)
    with pytest.raises(PollError):
        generate_code_batch(poll, 5, user=editor_a)
    assert client.login(email=editor_a.email, password=PASSWORD)
    url = reverse("polls_admin:new_code_batch", args=[poll.pk])
    assert_admin_refused(client.get(url))
    assert_admin_refused(client.post(url, {"size": 5}))
    assert not VotingCode.objects.filter(poll=poll).exists()
    dashboard = client.get(reverse("polls_admin:dashboard", args=[poll.pk])).content.decode()
    assert url not in dashboard


def test_a_code_sheet_of_a_poll_that_stopped_taking_codes_is_refused(
    client, consultation, editor_a
):
    poll = make_poll(consultation, eligibility=Eligibility.CODES)
    batch = generate_code_batch(poll, 2, user=editor_a)
    PollPage.objects.filter(pk=poll.pk).update(eligibility=Eligibility.COMMUNITY)
    assert client.login(email=editor_a.email, password=PASSWORD)
    assert_admin_refused(client.post(reverse("polls_admin:code_sheet", args=[poll.pk, batch.pk])))
