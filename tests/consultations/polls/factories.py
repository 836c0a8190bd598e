"""Poll fixtures: a poll factory with stable option ids, and helpers to cast in bulk."""

import json
import uuid
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from consultations.polls.models import Ballot, OptionTally, PollPage, PollTurnout
from tests.conftest import add_page

Q1 = "11111111-1111-4111-8111-111111111111"
Q2 = "22222222-2222-4222-8222-222222222222"
YES = "aaaaaaaa-0000-4000-8000-000000000001"
NO = "aaaaaaaa-0000-4000-8000-000000000002"
PARK = "bbbbbbbb-0000-4000-8000-000000000001"
LIGHTS = "bbbbbbbb-0000-4000-8000-000000000002"
BENCHES = "bbbbbbbb-0000-4000-8000-000000000003"


def question(qid, text, options, kind="single", min_choices=1, max_choices=None):
    return {
        "type": "question",
        "id": qid,
        "value": {
            "text": text,
            "help_text": "",
            "kind": kind,
            "min_choices": min_choices,
            "max_choices": max_choices,
            "options": [
                {
                    "type": "item",
                    "id": oid,
                    "value": {"label": label, "description": "", "image": None},
                }
                for oid, label in options
            ],
        },
    }


DEFAULT_QUESTIONS = [
    question(Q1, "Do you support paving the main road?", [(YES, "Yes"), (NO, "No")]),
    question(
        Q2,
        "What else should be built?",
        [(PARK, "A small park"), (LIGHTS, "Street lights"), (BENCHES, "Benches")],
        kind="multiple",
        min_choices=1,
        max_choices=2,
    ),
]


def make_poll(consultation, slug="poll", questions=None, **fields):
    now = timezone.now()
    defaults = {
        "title": "Road poll",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=7),
    }
    defaults.update(fields)
    poll = PollPage(slug=slug, questions=json.dumps(questions or DEFAULT_QUESTIONS), **defaults)
    return add_page(consultation, poll)


def bulk_ballots(poll, n, choices=(YES, PARK)):
    """Insert `n` ballots and their counters directly (fast), as cast_ballot would leave them."""
    today = timezone.localdate()
    Ballot.objects.bulk_create(
        [
            Ballot(id=uuid.uuid4(), poll=poll, choices=list(choices), cast_on=today)
            for _ in range(n)
        ],
        batch_size=2000,
    )
    for oid in choices:
        tally, _ = OptionTally.objects.get_or_create(poll=poll, option_id=oid, community=None)
        OptionTally.objects.filter(pk=tally.pk).update(votes=F("votes") + n)
    turnout, _ = PollTurnout.objects.get_or_create(poll=poll, community=None)
    PollTurnout.objects.filter(pk=turnout.pk).update(voters=F("voters") + n)
