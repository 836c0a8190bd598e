"""Builders for the ledger tests: consultations with figures on every channel."""

import uuid
from datetime import date

from django.utils import timezone

from consultations.ledger import operations
from consultations.ledger.models import LedgerEntry, Source
from consultations.models import Category, Format, Suggestion, SuggestionFormPage
from tests.conftest import add_page, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, register
from tests.consultations.polls.factories import NO, PARK, YES, make_poll


def generated_entry(consultation):
    return LedgerEntry.objects.get(consultation=consultation, source=Source.GENERATED)


def manual_entry(community, held_on, topic="村民代表会议：垃圾分类", participants=30, **fields):
    """An offline activity as staff would record it (through the operation's rules)."""
    entry = LedgerEntry(
        source=Source.MANUAL,
        community=community,
        area=community.get_parent().specific,
        held_on=held_on,
        topic=topic,
        category=fields.pop("category", None) or Category.objects.get(slug="environment"),
        format=fields.pop("format", None) or Format.objects.get(slug="representatives"),
        participants_recorded=participants,
        **fields,
    )
    entry.save()
    entry.communities.add(community)
    entry.save()  # a ParentalManyToManyField is written on save
    return entry


def add_suggestions(consultation, n, *, answered=0, rejected=0, slug="suggestions"):
    page = add_page(consultation, SuggestionFormPage(title="意见征集", slug=slug))
    for i in range(n + rejected):
        user = make_user(f"s{uuid.uuid4().hex[:8]}@example.com", community=None)
        status = Suggestion.Status.REJECTED if i >= n else Suggestion.Status.PUBLISHED
        Suggestion.objects.create(
            page=page,
            user=user,
            token=uuid.uuid4().hex,
            form_data={"title": f"建议{i}", "opinion": "内容", "topic_part": ""},
            status=status,
            moderated_at=timezone.now(),
            answer_status=Suggestion.Answer.ADOPTED if i < answered else "",
            answer="采纳" if i < answered else "",
        )
    return page


def add_hearing(consultation, attended, registered=None):
    hearing = make_hearing(consultation)
    session = hearing.sessions.get()
    registered = attended if registered is None else registered
    for i in range(registered):
        user = make_user(f"h{uuid.uuid4().hex[:8]}@example.com")
        registration = register(session, user)
        if i < attended:
            registration.checked_in_at = timezone.now()
            registration.save()
    return hearing


def add_poll(consultation, *, online=0, assisted=0, paper=0, helper=None):
    from consultations.polls.models import PollPage
    from consultations.polls.operations import cast_ballot, confirm_paper_tally, record_paper_tally

    poll = make_poll(consultation)
    if paper:
        # A paper tally is bounded by the electorate and counts once a second person confirms.
        poll.electorate = online + assisted + paper
        PollPage.objects.filter(pk=poll.pk).update(electorate=poll.electorate)
    home = consultation.scope_communities().first()
    for _ in range(online):
        voter = make_user(f"v{uuid.uuid4().hex[:8]}@example.com", community=home)
        cast_ballot(poll, voter, [YES, PARK])
    for _ in range(assisted):
        voter = make_user(f"a{uuid.uuid4().hex[:8]}@example.com", community=home)
        cast_ballot(poll, voter, [NO, PARK], assisted_by=helper)
    if paper:
        tally = record_paper_tally(
            poll, meeting_date=timezone.localdate(), voters=paper, counts={YES: paper}
        )
        confirm_paper_tally(tally, make_user(f"c{uuid.uuid4().hex[:8]}@example.com"))
    return poll


def consultation_with_figures(
    parent, slug, *, attended=0, online=0, assisted=0, paper=0, suggestions=0, answered=0, **fields
):
    consultation = make_consultation(parent, slug=slug, title=f"议题 {slug}", **fields)
    if attended:
        add_hearing(consultation, attended)
    if online or assisted or paper:
        add_poll(consultation, online=online, assisted=assisted, paper=paper)
    if suggestions:
        add_suggestions(consultation, suggestions, answered=answered)
    operations.sync_entry(consultation.pk)
    return consultation


def day(year, month, dd=1):
    return date(year, month, dd)
