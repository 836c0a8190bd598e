"""Demo: advisory polls on the demo consultations.

Five polls: an open secret poll in 青石村 (residents 1 and 2 may vote), an open named vote
in 阳光社区 (resident 3 may vote) with live results, a closed poll with results in 和平社区,
and a township poll with voting codes, paper tallies and published results. Ballots are
cast through `cast_ballot` by generated demo voters. Idempotent: an existing poll (same
slug under the same consultation) is left as it is.
"""

import json
import random
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from consultations.models import (
    Category,
    CommunityIndexPage,
    CommunityPage,
    ConsultationPage,
    Format,
)
from consultations.polls.models import Eligibility, PollPage, ResultsVisibility
from consultations.polls.operations import (
    cast_ballot,
    confirm_paper_tally,
    generate_code_batch,
    publish_results,
    record_paper_tally,
)

# Stable ids so that the demo's option ids do not change between loads.
NAMESPACE = uuid.UUID("6b1f9c38-3f0e-4d8e-9a57-0c2d7f1a6e01")


def _id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _question(key, text, options, kind="single", min_choices=1, max_choices=None, help_text=""):
    return {
        "type": "question",
        "id": _id(key),
        "value": {
            "text": text,
            "help_text": help_text,
            "kind": kind,
            "min_choices": min_choices,
            "max_choices": max_choices,
            "options": [
                {
                    "type": "item",
                    "id": _id(key, label),
                    "value": {"label": label, "description": description, "image": None},
                }
                for label, description in options
            ],
        },
    }


POLLS = [
    {
        "consultation": ("qingshi", "main-road-paving"),
        "slug": "road-order-poll",
        "title": "主干道硬化施工顺序民意征询",
        "introduction": "<p>硬化工程分两段施工。请选择您希望先施工的路段，并选出最需要同步解决的问题（最多两项）。结果供村民代表会议参考。</p>",
        "window": (-3, 9),
        "eligibility": Eligibility.COMMUNITY,
        "secret": True,
        "visibility": ResultsVisibility.AFTER_VOTING,
        "voters": ("qingshi", 24),
        "questions": [
            _question(
                "road-order",
                "您希望先施工哪一段？",
                [
                    ("村口至小学段", "约1.1公里，学生上学必经。"),
                    ("小学至后山茶园段", "约1.2公里，茶叶运输主要通道。"),
                ],
            ),
            _question(
                "road-issues",
                "施工中最需要同步解决的问题是？",
                [("排水沟改造", ""), ("路灯安装", ""), ("错车道设置", ""), ("临时通行安排", "")],
                kind="multiple",
                max_choices=2,
            ),
        ],
    },
    {
        "consultation": ("yangguang", "elevator-retrofit"),
        "slug": "elevator-poll",
        "title": "加装电梯方案表决（记名）",
        "introduction": "<p>本次为记名表决：您的姓名将与选择一同记录，供楼栋协商使用。结果实时公开。</p>",
        "window": (-4, 6),
        "eligibility": Eligibility.COMMUNITY,
        "secret": False,
        "visibility": ResultsVisibility.LIVE,
        "voters": ("yangguang", 16),
        "questions": [
            _question(
                "elevator-plan",
                "您支持哪一种加装方案？",
                [
                    ("方案一：北侧入户", "不占用绿地，需改造楼道窗户。"),
                    ("方案二：南侧平层入户", "占用部分绿地，入户更方便。"),
                    ("暂不加装", ""),
                ],
            ),
        ],
    },
    {
        "consultation": ("heping", "greening-renovation"),
        "slug": "greening-poll",
        "title": "绿化改造重点民意征询（已结束）",
        "introduction": "<p>征询已结束，结果已交社区议事会参考。</p>",
        "window": (-30, -12),
        "eligibility": Eligibility.ANY_RESIDENT,
        "secret": True,
        "visibility": ResultsVisibility.AFTER_CLOSE,
        "voters": ("heping", 22),
        "questions": [
            _question(
                "greening-focus",
                "绿化改造应优先考虑什么？",
                [("增加树荫和座椅", ""), ("儿童游乐区", ""), ("健身步道", ""), ("增加停车位", "")],
            ),
        ],
    },
    {
        "consultation": ("liuxi", "qingshi-taoyuan-link-road"),
        "slug": "link-road-route-poll",
        "title": "连通道路线路走向民意征询（投票码及纸质投票）",
        "introduction": "<p>没有账号或手机的村民可凭村委会发放的一次性投票码投票；两村村民大会的纸质投票结果另行录入。</p>",
        "window": (-5, -1),
        "eligibility": Eligibility.CODES,
        "secret": True,
        "visibility": ResultsVisibility.AFTER_PUBLISH,
        "codes": {"qingshi": (30, 14), "taoyuan": (30, 11)},
        "paper": {"voters": 46, "split": (28, 18)},
        "electorate": 240,
        "publish": True,
        "questions": [
            _question(
                "link-route",
                "您支持哪一条线路？",
                [
                    ("沿河线", "较平缓，需加固河堤。"),
                    ("山脚线", "距离较短，需少量占用林地。"),
                ],
            ),
        ],
    },
]


def _ensure_voters(community, count):
    """Generated demo voters (no usable password) living in `community`."""
    User = get_user_model()
    voters = []
    for number in range(1, count + 1):
        email = f"demo-voter-{community.slug}-{number:02d}@example.com"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                display_name=f"{community.title}村民{number:02d}",
                community=community,
                residence_status="registered",
            )
            user.set_unusable_password()
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        voters.append(user)
    return voters


def _fallback_consultation(parents):
    """Our own consultation under 阳光社区 when the consultations demo has not run."""
    parent = parents["yangguang"]
    existing = ConsultationPage.objects.child_of(parent).filter(slug="poll-demo").first()
    if existing:
        return existing
    today = timezone.localdate()
    page = ConsultationPage(
        title="社区公共空间改造民意征询",
        slug="poll-demo",
        summary="社区拟改造公共空间，请居民投票表达意见。",
        organiser="阳光社区居民委员会",
        category=Category.objects.order_by("pk").first(),
        format=Format.objects.order_by("pk").first(),
        notice_date=today - timedelta(days=10),
        input_opens=today - timedelta(days=5),
        input_closes=today + timedelta(days=10),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _choose(rng, poll):
    choices = []
    for question in poll.question_list:
        ids = [o["id"] for o in question["options"]]
        if question["multiple"]:
            k = rng.randint(question["min_choices"], question["max_choices"])
            choices.extend(rng.sample(ids, k))
        else:
            # A gentle lean to the first option, so the demo results tell a story.
            choices.append(ids[0] if rng.random() < 0.35 else rng.choice(ids))
    return choices


def load(stdout):
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    parents = {page.slug: page for page in CommunityIndexPage.objects.all()}
    parents.update({page.slug: page for page in CommunityPage.objects.all()})
    if "yangguang" not in parents:
        stdout.write("Polls: no demo communities; skipped.")
        return []
    rng = random.Random(6)  # noqa: S311 - demo data, reproducible
    now = timezone.now()
    made = 0
    for spec in POLLS:
        parent_slug, consultation_slug = spec["consultation"]
        consultation = None
        if parent_slug in parents:
            consultation = (
                ConsultationPage.objects.child_of(parents[parent_slug])
                .filter(slug=consultation_slug)
                .first()
            )
        consultation = consultation or _fallback_consultation(parents)
        if PollPage.objects.child_of(consultation).filter(slug=spec["slug"]).exists():
            continue
        opens = now + timedelta(days=spec["window"][0])
        closes = now + timedelta(days=spec["window"][1])
        poll = PollPage(
            title=spec["title"],
            slug=spec["slug"],
            introduction=spec["introduction"],
            questions=json.dumps(spec["questions"]),
            opens_at=opens,
            closes_at=closes,
            eligibility=spec["eligibility"],
            secret=spec["secret"],
            results_visibility=spec["visibility"],
            electorate=spec.get("electorate"),
        )
        consultation.add_child(instance=poll)
        poll.save_revision().publish()
        poll = PollPage.objects.get(pk=poll.pk)
        # Ballots are cast while the poll was open, spread over the days it has been open.
        open_span = min(closes, now) - opens

        def when(i, n, opens=opens, open_span=open_span):
            return opens + open_span * (i + 1) / (n + 2)

        if "voters" in spec:
            community_slug, count = spec["voters"]
            for i, voter in enumerate(_ensure_voters(parents[community_slug], count)):
                cast_ballot(poll, voter, _choose(rng, poll), now=when(i, count))
        for community_slug, (issued, used) in spec.get("codes", {}).items():
            batch = generate_code_batch(
                poll,
                issued,
                label=f"{parents[community_slug].title}第一批",
                community=parents[community_slug],
                user=admin,
                distributed_to=f"{parents[community_slug].title}村民小组长",
            )
            for i, code in enumerate(batch.codes.all()[:used]):
                cast_ballot(poll, None, _choose(rng, poll), code=code.code, now=when(i, used))
        if "paper" in spec:
            first = poll.question_list[0]["options"]
            minutes = get_document_model().objects.create(
                title=f"{poll.title} 村民大会会议记录（示例）",
                file=ContentFile(b"%PDF-1.4\n% demo minutes\n", name="demo-minutes.pdf"),
                uploaded_by_user=admin,
            )
            tally = record_paper_tally(
                poll,
                meeting_date=timezone.localdate(closes),
                voters=spec["paper"]["voters"],
                counts={o["id"]: n for o, n in zip(first, spec["paper"]["split"], strict=False)},
                minutes=minutes,
                user=admin,
            )
            # A second staff member confirms it against the minutes (the township official).
            official = get_user_model().objects.filter(email="official@example.com").first()
            if official is not None:
                confirm_paper_tally(tally, official)
        if spec.get("publish") and admin:
            publish_results(poll, admin)
        made += 1
    stdout.write(f"Polls: {made} new, {PollPage.objects.count()} in all.")
    return []
