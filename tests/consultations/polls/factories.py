"""Poll fixtures: a poll factory with stable option ids, and helpers to cast in bulk."""

import json
import uuid
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from consultations.polls.models import Ballot, OptionTally, PollPage, PollTurnout
from consultations.polls.operations import flush_ballot_pool
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


def admin_form_data(client, poll, labels):
    """The poll's edit form as the admin posts it, with the questions as StreamField data."""
    from django.urls import reverse
    from wagtail.test.utils.form_data import querydict_from_html

    edit_url = reverse("wagtailadmin_pages:edit", args=[poll.pk])
    html = client.get(edit_url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data = data.copy()
    for key in [k for k in data if k.startswith("questions-")]:
        del data[key]
    data["questions-count"] = len(poll.question_list)
    for qi, question in enumerate(poll.question_list):
        prefix = f"questions-{qi}"
        data.update(
            {
                f"{prefix}-type": "question",
                f"{prefix}-id": question["id"],
                f"{prefix}-deleted": "",
                f"{prefix}-order": qi,
                f"{prefix}-value-text": question["text"],
                f"{prefix}-value-help_text": "",
                f"{prefix}-value-kind": question["kind"],
                f"{prefix}-value-min_choices": question["min_choices"],
                f"{prefix}-value-max_choices": question["max_choices"]
                if question["multiple"]
                else "",
                f"{prefix}-value-options-count": len(question["options"]),
            }
        )
        for oi, option in enumerate(question["options"]):
            oprefix = f"{prefix}-value-options-{oi}"
            label = labels.get(option["id"], option["label"])
            data.update(
                {
                    f"{oprefix}-id": option["id"],
                    f"{oprefix}-deleted": "1" if label is None else "",
                    f"{oprefix}-order": oi,
                    f"{oprefix}-value-label": label or option["label"],
                    f"{oprefix}-value-description": "",
                    f"{oprefix}-value-image": "",
                }
            )
    return edit_url, data


def recorded_ballots():
    """Every accepted ballot: flush all sealed pools (as a closed poll would be), then read."""
    for poll in PollPage.objects.filter(sealed_ballots__isnull=False).distinct():
        flush_ballot_pool(poll, everything=True)
    return Ballot.objects.all()
