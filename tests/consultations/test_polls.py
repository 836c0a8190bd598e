"""Advisory polls: who may vote, review then cast, codes, paper and assisted votes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models.polls import Ballot, OptionTally, PollTurnout, VoterRegister
from consultations.polls.operations import (
    AlreadyVoted,
    cast_ballot,
    participant_user_ids,
    voting_decision,
)
from tests.conftest import en, make_user
from tests.consultations.conftest_polls import NO, PARK, YES, LIGHTS, BENCHES, make_poll, poll  # noqa: F401

pytestmark = pytest.mark.django_db


def vote_data(*choices, **extra):
    data = {"q_11111111-1111-4111-8111-111111111111": choices[0]}
    data["q_22222222-2222-4222-8222-222222222222"] = list(choices[1:])
    data.update(extra)
    return data


def test_poll_page_renders_for_everyone(client, poll):
    response = client.get(en(poll.url))
    assert response.status_code == 200
    assert b"Road poll" in response.content
    assert b"Log in to vote" in response.content
