"""Demo rosters: fictional residents of 青石村 and 阳光社区, the demo residents linked.

Names are invented; mobile numbers are in +86 170 0000 xxxx, a block no operator assigns
to subscribers, so no text can reach a real person. 张阿姨 (resident2@example.com) is on
the roster of 青石村 but not linked yet: sign in as her and confirm her entry under "My
residence" (full name 张桂芳, identifier 330102); the code is printed on the console.
A roster-based poll with the one-vote-per-household rule is added to 青石村.
"""

import json
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from consultations.communities.models import CommunityPage
from consultations.communities.operations import ensure_community_groups
from consultations.consultation_pages.models import ConsultationPage
from consultations.polls.models import Eligibility, PollPage, ResultsVisibility
from consultations.polls.operations import PollError, cast_ballot
from consultations.roster.models import LinkMethod, RosterLink, RosterPerson

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "桂兰", "志强", "海燕", "德明", "玉梅", "国华", "春生", "丽娟"]

# (community slug, demo account, roster full name, identifier, household, representative)
DEMO_RESIDENTS = [
    ("qingshi", "resident1@example.com", "李德福", "330101", "QS-001", True),
    ("qingshi", "resident2@example.com", "张桂芳", "330102", "QS-002", True),
    ("yangguang", "resident3@example.com", "陈小明", "440101", "YG-1-101", False),
]
NOT_LINKED = {"resident2@example.com"}

POLL = {
    "consultation": ("qingshi", "main-road-paving"),
    "slug": "well-repair-poll",
    "title": "村内老水井修缮方案民意征询（一户一票）",
    "introduction": "<p>按村规民约，本事项一户一票，由户代表投票。已在居民名册上确认身份的村民可在线投票；"
    "没有手机的村民可到村委会由工作人员协助投票，或凭发放的个人投票码投票。</p>",
}


def _person(community, full_name, local_id, n, **fields):
    person, _created = RosterPerson.objects.get_or_create(
        community=community,
        full_name=full_name,
        local_id=local_id,
        defaults={
            "phone": f"+8617000{n:06d}",
            "residence_status": fields.pop("residence_status", "registered"),
            "group": fields.pop("group", "一组"),
            "date_of_birth": fields.pop("date_of_birth", date(1960, 1, 1)),
            **fields,
        },
    )
    return person


def _link(user, person):
    if (
        RosterLink.objects.filter(user=user).exists()
        or RosterLink.objects.filter(person=person).exists()
    ):
        return
    from consultations.roster.operations import link_account

    link_account(user, person, method=LinkMethod.OFFICE)


def load(stdout):
    User = get_user_model()
    communities = {
        c.slug: c for c in CommunityPage.objects.filter(slug__in=["qingshi", "yangguang"])
    }
    if len(communities) < 2:
        stdout.write("Roster: no demo communities; skipped.")
        return []
    counter = 0
    for cslug, email, full_name, local_id, household, representative in DEMO_RESIDENTS:
        counter += 1
        person = _person(
            communities[cslug],
            full_name,
            local_id,
            100 + counter,
            household=household,
            is_household_representative=representative,
        )
        user = User.objects.filter(email=email).first()
        if user is not None and email not in NOT_LINKED:
            _link(user, person)
    # The generated demo voters of the polls, and more villagers: households of 2–4 people.
    for cslug, community in communities.items():
        voters = User.objects.filter(email__startswith=f"demo-voter-{cslug}-").order_by("email")
        for i, voter in enumerate(voters):
            household = f"{'QS' if cslug == 'qingshi' else 'YG'}-{200 + i // 2:03d}"
            person = _person(
                community,
                voter.display_name or f"{community.title}村民{i:02d}",
                f"{500000 + i:06d}"[-6:],
                1000 + i + (0 if cslug == "qingshi" else 500),
                household=household,
                is_household_representative=i % 2 == 0,
                group=f"{i % 4 + 1}组",
            )
            _link(voter, person)
        for i in range(24):
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 3) % len(GIVEN)]
            _person(
                community,
                name,
                f"{600000 + i:06d}",
                2000 + i + (0 if cslug == "qingshi" else 500),
                household=f"{'QS' if cslug == 'qingshi' else 'YG'}-{300 + i // 3:03d}",
                is_household_representative=i % 3 == 0,
                residence_status="registered" if i % 4 else "non_registered",
                group=f"{i % 4 + 1}组",
                date_of_birth=date(1940 + i * 3, 1 + i % 12, 1 + i % 27),
            )
    # The qingshi editors may act for residents at the office (assisted participation).
    right = Permission.objects.get(codename="assist_resident")
    for group in ensure_community_groups(communities["qingshi"], repair=False):
        group.permissions.add(right)
    made = _ensure_poll(communities["qingshi"])
    stdout.write(
        f"Roster: {RosterPerson.objects.count()} people, {RosterLink.objects.count()} linked"
        f"{'; roster-based poll added' if made else ''}. Try linking as 张阿姨 "
        "(resident2@example.com): 我的资料 → 我的居住身份（居民名册） (My profile → My residence) → 青石村, 张桂芳, 330102; the code is printed here."
    )
    return []


def _ensure_poll(qingshi):
    consultation = (
        ConsultationPage.objects.child_of(qingshi).filter(slug=POLL["consultation"][1]).first()
        or ConsultationPage.objects.child_of(qingshi).first()
    )
    if (
        consultation is None
        or PollPage.objects.child_of(consultation).filter(slug=POLL["slug"]).exists()
    ):
        return False
    now = timezone.now()

    def option(key, label):
        return {
            "type": "item",
            "id": f"00000000-0000-4000-8000-{key:012d}",
            "value": {"label": label, "description": "", "image": None},
        }

    questions = [
        {
            "type": "question",
            "id": "00000000-0000-4000-8000-100000000001",
            "value": {
                "text": "老水井怎样修缮？",
                "help_text": "",
                "kind": "single",
                "min_choices": 1,
                "max_choices": None,
                "options": [
                    option(1, "清淤加盖，保留取水"),
                    option(2, "改建为消防取水点"),
                    option(3, "填埋，旁边设纪念石"),
                ],
            },
        }
    ]
    poll = PollPage(
        title=POLL["title"],
        slug=POLL["slug"],
        introduction=POLL["introduction"],
        questions=json.dumps(questions),
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        eligibility=Eligibility.COMMUNITY,
        secret=True,
        results_visibility=ResultsVisibility.AFTER_VOTING,
        uses_roster=True,
        one_vote_per_household=True,
        roster_min_age=18,
    )
    consultation.add_child(instance=poll)
    poll.save_revision().publish()
    poll = PollPage.objects.get(pk=poll.pk)
    # A few household representatives have voted already.
    links = (
        RosterLink.objects.filter(
            person__community=qingshi, person__is_household_representative=True
        )
        .exclude(user__email__in=[r[1] for r in DEMO_RESIDENTS])
        .select_related("user")
    )
    for i, link in enumerate(links[:6]):
        try:
            cast_ballot(poll, link.user, [questions[0]["value"]["options"][i % 3]["id"]])
        except PollError:
            continue
    return True
