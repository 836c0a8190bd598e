"""Voting codes with duties kept apart: numbered batches with their distribution recorded,
a sheet printed once, a reprint only with a second staff member, sheets that never say
which codes were used, and unissued codes voided — each act in the audit log."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from consultations.polls.models import Eligibility, VotingCode
from consultations.polls.operations import (
    AlreadyVoted,
    NotEligible,
    PollError,
    approve_reprint,
    cast_ballot,
    eligible_count,
    generate_code_batch,
    print_code_sheet,
    void_codes,
)
from tests.conftest import PASSWORD
from tests.consultations.polls.factories import PARK, YES, make_poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def code_poll(consultation):
    return make_poll(consultation, slug="codes", eligibility=Eligibility.CODES)


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def test_batches_are_numbered_and_record_who_distributes_them(client, code_poll, editor_a):
    login(client, editor_a)
    url = reverse("polls_admin:new_code_batch", args=[code_poll.pk])
    assert client.post(url, {"size": 3, "label": "一组"}).status_code == 400  # who distributes?
    for group in ("一组", "二组"):
        response = client.post(url, {"size": 3, "label": group, "distributed_to": f"{group}组长"})
        assert response.status_code == 302
    first, second = code_poll.code_batches.order_by("pk")
    assert (first.number, second.number) == (1, 2)
    assert second.distributed_to == "二组组长"
    entry = PageLogEntry.objects.get(
        page=code_poll, action="consultations.polls.generate_codes", data__batch=second.pk
    )
    assert entry.data["distributed_to"] == "二组组长" and entry.data["number"] == 2


def test_the_generator_cannot_read_the_codes_back_after_printing(
    client, code_poll, editor_a, reviewer_a
):
    batch = generate_code_batch(code_poll, 4, user=editor_a, distributed_to="一组组长")
    codes = list(batch.codes.values_list("code", flat=True))
    login(client, editor_a)
    sheet_url = reverse("polls_admin:code_sheet", args=[code_poll.pk, batch.pk])
    assert client.get(sheet_url).status_code == 405  # no reading the codes by GET
    sheet = client.post(sheet_url)
    assert sheet.status_code == 200 and all(code in sheet.content.decode() for code in codes)
    # Printed once: the same person cannot print it again, nor approve their own reprint.
    again = client.post(sheet_url)
    assert again.status_code == 302 and codes[0] not in again.content.decode()
    with pytest.raises(PollError):
        approve_reprint(batch, editor_a)
    dashboard = client.get(reverse("polls_admin:dashboard", args=[code_poll.pk])).content
    assert all(code.encode() not in dashboard for code in codes)

    # A second staff member approves one reprint, logged; it is used up by printing.
    login(client, reviewer_a)
    client.post(reverse("polls_admin:approve_code_reprint", args=[code_poll.pk, batch.pk]))
    login(client, editor_a)
    assert client.post(sheet_url).status_code == 200
    assert client.post(sheet_url).status_code == 302
    prints = PageLogEntry.objects.filter(page=code_poll, action="consultations.polls.print_codes")
    assert [e.data["reprint"] for e in prints.order_by("pk")] == [False, True]
    assert prints.order_by("pk").last().data["approved_by"] == reviewer_a.pk
    assert PageLogEntry.objects.filter(
        page=code_poll, action="consultations.polls.approve_reprint", user=reviewer_a
    ).exists()


def test_a_sheet_never_says_which_codes_were_used(client, code_poll, editor_a, reviewer_a):
    batch = generate_code_batch(code_poll, 3, user=editor_a)
    used = batch.codes.first()
    cast_ballot(code_poll, None, [YES, PARK], code=used.code)
    login(client, editor_a)
    first = client.post(reverse("polls_admin:code_sheet", args=[code_poll.pk, batch.pk]))
    body = first.content.decode()
    assert used.code in body and "used" not in body.lower().replace("used-", "")
    approve_reprint(batch, reviewer_a)
    second = client.post(reverse("polls_admin:code_sheet", args=[code_poll.pk, batch.pk]))
    assert body.count('class="slip"') == second.content.decode().count('class="slip"') == 3


def test_unissued_codes_can_be_voided_and_then_cannot_vote(client, code_poll, editor_a):
    batch = generate_code_batch(code_poll, 5, user=editor_a)
    codes = list(batch.codes.values_list("code", flat=True))
    assert eligible_count(code_poll) == 5
    login(client, editor_a)
    url = reverse("polls_admin:void_codes", args=[code_poll.pk])
    response = client.post(url, {"codes": f"{codes[0]}\nNOTACODE"})
    assert response.status_code == 400  # nothing voided when one is not of this poll
    assert not VotingCode.objects.filter(voided=True).exists()
    response = client.post(url, {"codes": f"{codes[0].lower()}\n{codes[1]}"})
    assert response.status_code == 302
    assert set(VotingCode.objects.filter(voided=True).values_list("code", flat=True)) == set(
        codes[:2]
    )
    with pytest.raises(NotEligible):
        cast_ballot(code_poll, None, [YES, PARK], code=codes[0])
    assert eligible_count(code_poll) == 3  # issued codes that can still vote
    entry = PageLogEntry.objects.get(page=code_poll, action="consultations.polls.void_codes")
    assert entry.data["count"] == 2 and codes[0] not in str(entry.data)
    dashboard = client.get(reverse("polls_admin:dashboard", args=[code_poll.pk])).content.decode()
    assert "Voided" in dashboard or "作废" in dashboard


def test_voiding_a_used_code_tells_nothing_and_keeps_its_vote(code_poll, editor_a):
    batch = generate_code_batch(code_poll, 2, user=editor_a)
    used, unused = batch.codes.order_by("pk")
    cast_ballot(code_poll, None, [YES, PARK], code=used.code)
    assert void_codes(code_poll, [used.code, unused.code], editor_a) == 2  # no error
    with pytest.raises(AlreadyVoted):
        cast_ballot(code_poll, None, [YES, PARK], code=used.code)
    assert eligible_count(code_poll) == 1  # the code that voted still counts


def test_print_once_is_enforced_by_the_operation(code_poll, editor_a):
    batch = generate_code_batch(code_poll, 1, user=editor_a)
    print_code_sheet(batch, editor_a)
    with pytest.raises(PollError):
        print_code_sheet(batch, editor_a)
