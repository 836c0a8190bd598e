"""Demo: the ledger over two years, so the compliance report has something to show.

- offline activities (村民代表会议, 议事会, 民主评议…) entered by hand for every community,
  this year and last year; with the consultations held on the portal, 青石村, 桃源村 and
  阳光社区 meet the four-a-year requirement this year, 白沙村, 和平社区 and 锦绣花园社区 do not;
- 和平社区 electric-bike chargers: a consultation whose advance notice came one day
  before input opened, so its checklist shows the missed notice step;
- the consultations of the other demos get their generated entries (the pond contract of
  桃源村 is past its disclosure deadline: the overdue disclosure);
- a corrected figure on one generated entry, with its note.

Idempotent: entries are found by community, date and topic.
"""

from datetime import timedelta

from django.utils import timezone

from consultations.ledger import operations
from consultations.ledger.models import LedgerEntry, Source
from consultations.models import (
    Category,
    CommunityPage,
    ConsultationPage,
    Format,
    ParticipantGroup,
)

TOPICS = [
    ("村民代表会议：村规民约修订", "policies", "representatives", 42),
    ("议事会：村内停车秩序", "public-facilities", "council", 18),
    ("民主评议：村务公开情况", "other", "evaluation", 35),
    ("村民会议：土地流转方案", "land-transfer", "assembly", 260),
    ("议事会：垃圾分类投放点", "environment", "council", 22),
]

# Offline activities per community: (this year, last year).
PLAN = {
    "qingshi": (3, 4),
    "yangguang": (4, 3),
    "taoyuan": (0, 4),
    "baisha": (0, 3),
    "heping": (1, 4),
    "jinxiu": (0, 2),
}


def _days(year, n, today):
    """n days spread over `year`, never after today."""
    start = today.replace(year=year, month=1, day=1)
    end = today if year == today.year else start.replace(month=12, day=31)
    span = max((end - start).days, 0)
    return [start + timedelta(days=span * (i + 1) // (n + 1)) for i in range(n)]


def _manual(community, held_on, spec, organiser):
    topic, category, fmt, participants = spec
    entry, created = LedgerEntry.objects.get_or_create(
        source=Source.MANUAL,
        community=community,
        held_on=held_on,
        topic=topic,
        defaults={
            "area": community.get_parent().specific,
            "category": Category.objects.get(slug=category),
            "format": Format.objects.get(slug=fmt),
            "organiser": organiser,
            "participants_recorded": participants,
            "outcome_summary": "形成协商意见，已在公开栏公示。",
        },
    )
    if created:
        entry.communities.add(community)
        entry.save()
    return created


def _missed_notice_consultation(today):
    heping = CommunityPage.objects.filter(slug="heping").first()
    if heping is None:
        return
    if ConsultationPage.objects.child_of(heping).filter(slug="ebike-chargers").exists():
        return
    page = ConsultationPage(
        title="和平社区电动车集中充电桩建设",
        slug="ebike-chargers",
        summary="拟在小区内建设电动车集中充电点，请居民就选址和收费提出意见。",
        category=Category.objects.get(slug="public-facilities"),
        format=Format.objects.get(slug="online"),
        organiser="和平社区居民委员会",
        notice_date=today - timedelta(days=21),
        input_opens=today - timedelta(days=20),  # one day's notice: below the minimum
        input_closes=today - timedelta(days=6),
        outcome_due=today + timedelta(days=20),
    )
    heping.add_child(instance=page)
    page.participant_groups.set(ParticipantGroup.objects.filter(slug="registered-residents"))
    page.save_revision().publish()


def _offline_meetings_of_published_outcomes():
    """The demo's outcomes were reached at representatives' meetings held offline: log
    them, linked to their consultation, so its checklist counts the input."""
    created = 0
    for entry in LedgerEntry.objects.filter(
        source=Source.GENERATED, outcome__isnull=False, participants_computed=0
    ).select_related("consultation", "community"):
        if entry.community is None:
            continue
        meeting, was_created = LedgerEntry.objects.get_or_create(
            source=Source.MANUAL,
            consultation=entry.consultation,
            defaults={
                "community": entry.community,
                "area": entry.area,
                "held_on": entry.held_on,
                "topic": f"村民代表会议：{entry.topic}",
                "category": entry.category,
                "format": Format.objects.get(slug="representatives"),
                "organiser": entry.organiser,
                "participants_recorded": 38,
            },
        )
        if was_created:
            meeting.communities.add(entry.community)
            meeting.save()
            created += 1
    return created


def load(stdout):
    today = timezone.localdate()
    _missed_notice_consultation(today)
    created = 0
    for slug, (this_year, last_year) in PLAN.items():
        community = CommunityPage.objects.filter(slug=slug).first()
        if community is None:
            continue
        organiser = f"{community.title}委员会"
        for year, n in ((today.year, this_year), (today.year - 1, last_year)):
            for i, held_on in enumerate(_days(year, n, today)):
                created += _manual(community, held_on, TOPICS[i % len(TOPICS)], organiser)
    live = operations.refresh_all(today)
    meetings = _offline_meetings_of_published_outcomes()
    if meetings:
        operations.refresh_all(today)  # their checklists now count the meetings
    created += meetings
    corrected = (
        LedgerEntry.objects.filter(source=Source.GENERATED, participants_recorded__isnull=True)
        .exclude(consultation__slug="ebike-chargers")
        .order_by("pk")
        .first()
    )
    already = LedgerEntry.objects.filter(
        source=Source.GENERATED, participants_recorded__isnull=False
    ).exists()
    if corrected and not already:
        operations.set_correction(
            corrected,
            participants=corrected.participants_computed + 36,
            note="另有 36 位老人在村委会现场参加，未在平台登记。",
        )
    stdout.write(f"Ledger: {created} offline activities added, {live} consultation entries.")
    return []
