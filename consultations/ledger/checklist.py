"""The procedure checklist of a consultation: 三(四)'s five steps and 三(五)'s disclosure.

Computed from the consultation's records, never ticked by hand:

1. topic       — the topic is proposed: a title, a summary and a catalogue category;
2. participants — who takes part is fixed: participant groups, or a poll's eligibility;
3. notice      — advance notice published at least N days before input opened (N is the
                 "minimum days of advance notice" of the site's consultation rules);
4. consult     — input was received: suggestions, hearing attendance, ballots, or an
                 offline meeting logged in the ledger;
5. outcome     — the outcome announcement was published by its disclosure deadline;
6. answers     — every published suggestion answered, and every "not adopted" item
                 (suggestion or decision) explained.

Each step is True (met), False (missed) or None (not due yet). The time-independent
steps are stored on the ledger entry by `operations.sync_entry`; the outcome step is
judged on the day it is read from the stored dates, so a deadline passing needs no write.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The steps (三(四) five steps and 三(五) disclosure), in order.
CHECKLIST_STEPS = ("topic", "participants", "notice", "consult", "outcome", "answers")

STEP_LABELS = {
    "topic": _("Topic proposed, with its category"),
    "participants": _("Participants fixed"),
    "notice": _("Advance notice published in time"),
    "consult": _("Residents consulted (input received)"),
    "outcome": _("Outcome published within the deadline"),
    "answers": _("Every suggestion answered, every refusal explained"),
}

STATE_LABELS = {
    True: pgettext_lazy("checklist step", "Done"),
    False: pgettext_lazy("checklist step", "Missed"),
    None: pgettext_lazy("checklist step", "Not due yet"),
}


def rules_for(consultation):
    """The ConsultationRules of the consultation's site (or of the default site)."""
    from wagtail.models import Site

    from consultations.consultation_pages.models import ConsultationRules

    site = consultation.get_site() or Site.objects.filter(is_default_site=True).first()
    return ConsultationRules.for_site(site) if site else ConsultationRules()


def input_starts(consultation):
    """The first day residents could give their view: input opening or the meeting."""
    dates = [consultation.input_opens]
    if consultation.meeting_at:
        dates.append(timezone.localdate(consultation.meeting_at))
    dates = [d for d in dates if d]
    return min(dates) if dates else None


def live_outcome(consultation):
    from consultations.outcomes.models import OutcomePage

    return OutcomePage.objects.child_of(consultation).live().first()


def outcome_published_on(outcome):
    if outcome is None or not outcome.first_published_at:
        return None
    return timezone.localdate(outcome.first_published_at)


def stored_steps(consultation, figures, *, offline_meeting=False, today=None):
    """The steps that do not depend on the day they are read, for the ledger entry."""
    from consultations.outcomes.models import DecisionStatus
    from consultations.polls.models import PollPage
    from consultations.suggestions.models import Suggestion

    today = today or timezone.localdate()
    notice_days = rules_for(consultation).min_notice_days
    starts = input_starts(consultation)
    outcome = live_outcome(consultation)

    topic = bool(consultation.title and consultation.summary and consultation.category_id)
    participants = (
        consultation.participant_groups.exists()
        or PollPage.objects.child_of(consultation).live().exists()
    )
    if consultation.notice_date and starts:
        notice = (starts - consultation.notice_date).days >= notice_days
    else:
        notice = False
    received = figures.participants > 0 or offline_meeting
    if received:
        consult = True
    elif (
        starts is None
        or starts > today
        or (consultation.input_closes and consultation.input_closes >= today)
    ):
        consult = None
    else:
        consult = False

    unexplained_suggestions = Suggestion.objects.filter(
        page__path__startswith=consultation.path,
        status=Suggestion.Status.PUBLISHED,
        answer_status=Suggestion.Answer.NOT_ADOPTED,
        answer="",
    ).exists()
    unexplained_items = bool(
        outcome
        and outcome.decision_items.filter(status=DecisionStatus.NOT_ADOPTED, reason="").exists()
    )
    all_answered = figures.suggestions_unanswered == 0
    if all_answered and not unexplained_suggestions and not unexplained_items:
        answers = True if outcome else None
    else:
        answers = False if outcome else None
    return {
        "topic": topic,
        "participants": participants,
        "notice": notice,
        "consult": consult,
        "answers": answers,
        "notice_days": notice_days,
    }


def outcome_state(outcome_due, published_on, today):
    """Published by the deadline → True; late, or overdue unpublished → False; else None."""
    if published_on:
        return not outcome_due or published_on <= outcome_due
    if outcome_due and outcome_due < today:
        return False
    return None


def entry_checklist(entry, today=None):
    """[{"key", "label", "state", "state_label"}] for a generated ledger entry, in order."""
    today = today or timezone.localdate()
    if not entry.is_generated:
        return []
    states = dict(entry.steps)
    states["outcome"] = outcome_state(entry.outcome_due, entry.outcome_published_on, today)
    if states.get("answers") is None and states["outcome"] is False:
        # The deadline passed: what is still unanswered is now missed, not pending.
        states["answers"] = False
    return [
        {
            "key": key,
            "label": STEP_LABELS[key],
            "state": states.get(key),
            "state_label": STATE_LABELS[states.get(key)],
        }
        for key in CHECKLIST_STEPS
    ]


def is_overdue_disclosure(entry, today):
    """Past its disclosure deadline without a published outcome (三(五))."""
    return bool(
        entry.is_generated
        and not entry.outcome_published_on
        and entry.outcome_due
        and entry.outcome_due < today
    )
