"""Demo: outcome announcements in every state, with their implementation record.

- 桃源村 village lights: published, one item done (with progress and evidence), one in
  progress, one not adopted with the reason → the consultation is in implementation;
- 青石村 drinking water: published and every item done → closed;
- 白沙村 collective income: an item referred to the villagers' assembly with its vote,
  and an item past its due date → flagged overdue;
- 桃源村 pond contract: past its outcome due date without an outcome → overdue;
- 青石村 cultural hall: a draft outcome in the publishing workflow, approved by the
  community reviewer and waiting for the township official, then the legal reviewer.

Dates are relative to the day the demo is loaded. Idempotent: what exists is left alone.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from consultations.communities.demo import PASSWORDS, ensure_user
from consultations.models import (
    Category,
    CommunityPage,
    ConsultationPage,
    DecisionItem,
    Format,
    OutcomePage,
    ParticipantGroup,
)
from consultations.outcomes import operations
from consultations.outcomes.models import (
    AssemblyResult,
    DecisionStatus,
    ImplementationStatus,
)

LEGAL_EMAIL = "legal@example.com"

CONSULTATIONS = [
    {
        "parent": "taoyuan",
        "slug": "village-street-lights",
        "title": "桃源村村内道路路灯安装",
        "category": "public-facilities",
        "format": "representatives",
        "days": (-90, -85, -70, -65, -50),
        "summary": "拟在村内主要道路安装太阳能路灯，请村民就安装路段和后期维护提出意见。",
        "outcome": {
            "title": "桃源村路灯安装协商成果公告",
            "published_days_ago": 45,
            "opinion": "<p>经村民代表会议协商，同意在村内三条主要道路安装太阳能路灯共48盏，由村委会组织实施，维护费用纳入村集体年度预算。</p>",
            "how_held": "村民代表会议一次，线上征集意见两周，共收到书面意见23条。",
            "dissent": "<p>部分村民建议采用市电路灯。经测算，市电路灯需新建线路，投资超出预算一倍以上，故未采纳，今后条件成熟时再议。</p>",
            "items": [
                {
                    "decision": "在村东、村西主干道安装太阳能路灯30盏",
                    "status": DecisionStatus.ADOPTED,
                    "responsible": "桃源村村民委员会",
                    "due": -10,
                    "progress": [
                        (-30, "完成招标，确定施工单位。", ImplementationStatus.IN_PROGRESS),
                        (-12, "30盏路灯全部安装完毕并通过验收。", ImplementationStatus.DONE),
                    ],
                },
                {
                    "decision": "在通往小学的道路安装路灯18盏",
                    "status": DecisionStatus.PARTLY_ADOPTED,
                    "reason": "原建议24盏，经现场勘查调整为18盏。",
                    "responsible": "桃源村村民委员会",
                    "due": 30,
                    "progress": [
                        (-5, "已完成基础施工，正在安装灯杆。", ImplementationStatus.IN_PROGRESS),
                    ],
                },
                {
                    "decision": "改用市电路灯",
                    "status": DecisionStatus.NOT_ADOPTED,
                    "reason": "需新建供电线路，投资超出预算一倍以上。",
                },
            ],
        },
    },
    {
        "parent": "qingshi",
        "slug": "drinking-water-upgrade",
        "title": "青石村饮用水管网改造",
        "category": "roads-water",
        "format": "assembly",
        "days": (-200, -195, -180, -175, -160),
        "summary": "更换老化的饮用水管网，解决夏季停水问题。",
        "outcome": {
            "title": "青石村饮用水管网改造协商成果公告",
            "published_days_ago": 158,
            "opinion": "<p>村民会议同意更换全村主管网，入户管道由农户自愿选择是否同步更换。</p>",
            "how_held": "村民会议一次，到会村民286人。",
            "items": [
                {
                    "decision": "更换全村主管网约4.1公里",
                    "status": DecisionStatus.ADOPTED,
                    "responsible": "青石村村民委员会",
                    "due": -60,
                    "progress": [
                        (-120, "开工。", ImplementationStatus.IN_PROGRESS),
                        (-70, "主管网更换完成，水质检测合格。", ImplementationStatus.DONE),
                    ],
                },
                {
                    "decision": "将改造情况报镇政府备案",
                    "status": DecisionStatus.REPORTED,
                    "responsible": "青石村党支部",
                    "due": -90,
                    "progress": [(-95, "已报柳溪镇人民政府备案。", ImplementationStatus.DONE)],
                },
            ],
        },
    },
    {
        "parent": "baisha",
        "slug": "collective-income-use",
        "title": "白沙村集体经营收益使用方案",
        "category": "land-transfer",
        "format": "representatives",
        "days": (-120, -115, -100, -95, -80),
        "summary": "村集体厂房出租收益的使用方案：分红、公益事业还是再投资。",
        "outcome": {
            "title": "白沙村集体经营收益使用协商成果公告",
            "published_days_ago": 78,
            "opinion": "<p>收益的40%用于村内公益事业，其余部分的分配方案提交村民会议表决。</p>",
            "how_held": "村民代表会议两次，听取股份经济合作社报告。",
            "items": [
                {
                    "decision": "收益的40%用于修缮村老年活动中心",
                    "status": DecisionStatus.ADOPTED,
                    "responsible": "白沙村股份经济合作社",
                    "due": -20,
                    "progress": [
                        (-50, "已完成设计，等待施工队进场。", ImplementationStatus.IN_PROGRESS),
                    ],
                },
                {
                    "decision": "其余60%按股份分红",
                    "status": DecisionStatus.REFERRED,
                    "responsible": "白沙村村民委员会",
                    "assembly": {
                        "days": -60,
                        "for": 312,
                        "against": 41,
                        "abstain": 12,
                        "attendance": 365,
                        "quorum": True,
                        "result": AssemblyResult.APPROVED,
                    },
                    "due": 20,
                },
            ],
        },
    },
    {
        "parent": "taoyuan",
        "slug": "fish-pond-contract",
        "title": "桃源村集体鱼塘承包方案",
        "category": "land-transfer",
        "format": "representatives",
        "days": (-70, -65, -50, -40, -10),
        "summary": "集体鱼塘承包期满，重新确定承包方式和承包费。",
    },
    {
        "parent": "qingshi",
        "slug": "cultural-hall-renovation",
        "title": "青石村文化礼堂修缮",
        "category": "public-facilities",
        "format": "council",
        "days": (-50, -45, -30, -25, 7),
        "summary": "修缮村文化礼堂屋顶和门窗，请村民就修缮方案和使用安排提出意见。",
        "draft": {
            "title": "青石村文化礼堂修缮协商成果公告",
            "opinion": "<p>同意按方案二修缮礼堂屋顶和门窗，工期三个月，修缮期间村民活动移至党群服务中心。</p>",
            "items": [
                {
                    "decision": "按方案二修缮礼堂屋顶和门窗",
                    "status": DecisionStatus.ADOPTED,
                    "responsible": "青石村村民委员会",
                    "due": 100,
                },
            ],
        },
    },
]


def _consultation(spec, parent, today):
    page = ConsultationPage.objects.child_of(parent).filter(slug=spec["slug"]).first()
    if page is not None:
        return page.specific
    notice, opens, closes, meeting, due = (today + timedelta(days=d) for d in spec["days"])
    page = ConsultationPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        category=Category.objects.get(slug=spec["category"]),
        format=Format.objects.get(slug=spec["format"]),
        organiser=f"{parent.title}村民委员会",
        contact=f"{parent.title}村委会 0000-5550101",
        notice_date=notice,
        input_opens=opens,
        input_closes=closes,
        meeting_at=timezone.make_aware(datetime.combine(meeting, time(19, 30))),
        meeting_place=f"{parent.title}党群服务中心",
        outcome_due=due,
    )
    parent.add_child(instance=page)
    page.participant_groups.set(
        ParticipantGroup.objects.filter(slug__in=["committee", "registered-residents"])
    )
    page.save_revision().publish()
    return page


def _outcome_page(consultation, spec, today):
    page = OutcomePage(
        title=spec["title"],
        slug="outcome",
        opinion=spec["opinion"],
        how_held=spec.get("how_held", ""),
        dissent_explanation=spec.get("dissent", ""),
        held_from=consultation.input_opens,
        held_until=timezone.localdate(consultation.meeting_at) if consultation.meeting_at else None,
    )
    for index, item in enumerate(spec["items"]):
        fields = {
            "decision": item["decision"],
            "status": item["status"],
            "reason": item.get("reason", ""),
            "responsible": item.get("responsible", ""),
            "due_date": today + timedelta(days=item["due"]) if "due" in item else None,
            "sort_order": index,
        }
        if "assembly" in item:
            vote = item["assembly"]
            fields.update(
                assembly_date=today + timedelta(days=vote["days"]),
                votes_for=vote["for"],
                votes_against=vote["against"],
                votes_abstain=vote["abstain"],
                attendance=vote["attendance"],
                quorum_met=vote["quorum"],
                assembly_result=vote["result"],
            )
        page.decision_items.add(DecisionItem(**fields))
    return page


def _publish_outcome(consultation, spec, today):
    page = _outcome_page(consultation, spec, today)
    page.live = False
    consultation.add_child(instance=page)
    page.save_revision()
    _approve_every_step(page)
    published = timezone.now() - timedelta(days=spec["published_days_ago"])
    OutcomePage.objects.filter(pk=page.pk).update(
        first_published_at=published, last_published_at=published
    )
    page.refresh_from_db()
    page.events.update(created_at=published)
    items = list(page.decision_items.order_by("sort_order"))
    for item, item_spec in zip(items, spec["items"], strict=True):
        for days, text, status in item_spec.get("progress", []):
            operations.record_progress(
                item, text=text, date=today + timedelta(days=days), new_status=status
            )
            page.events.filter(item=item, new_status=status).update(
                created_at=timezone.now() + timedelta(days=days)
            )
            item.refresh_from_db()
    return page


def _approve_every_step(page):
    """Through the outcome workflow to the end: it goes live on the legal review's
    confirmation, the only way an outcome goes live (no direct publish)."""
    workflow = page.get_workflow()
    if workflow is None:
        return
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        state = workflow.start(page, None)
        while state.status == state.STATUS_IN_PROGRESS:
            task_state = state.current_task_state
            task_state.task.specific.on_action(task_state, None, "approve", comment="")
            state.refresh_from_db()


def _draft_in_review(consultation, spec, today):
    """A draft outcome, submitted by the editor and approved by the community reviewer."""
    User = get_user_model()
    editor = User.objects.filter(email="editor@example.com").first()
    reviewer = User.objects.filter(email="reviewer@example.com").first()
    page = _outcome_page(consultation, spec, today)
    page.live = False
    consultation.add_child(instance=page)
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    if workflow is None:
        return page
    # Wagtail mails the moderators of each step; the demo keeps those mails to itself.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        state = workflow.start(page, editor)
        task_state = state.current_task_state
        if reviewer is not None and task_state is not None:
            task_state.specific.task.specific.on_action(
                task_state, reviewer, "approve", comment="社区审核通过。"
            )
    return page


def load(stdout):
    today = timezone.localdate()
    legal_group = operations.ensure_legal_reviewers_group()
    operations.legal_review_task()
    legal = ensure_user(
        LEGAL_EMAIL, PASSWORDS["official"], display_name="县司法局法律顾问", staff=True
    )
    legal.groups.add(legal_group)

    communities = {page.slug: page for page in CommunityPage.objects.all()}
    made = 0
    for spec in CONSULTATIONS:
        parent = communities.get(spec["parent"])
        if parent is None:
            continue
        consultation = _consultation(spec, parent, today)
        operations.ensure_outcome_workflow(consultation)
        if OutcomePage.objects.child_of(consultation).exists():
            continue
        if "outcome" in spec:
            _publish_outcome(consultation, spec["outcome"], today)
            made += 1
        elif "draft" in spec:
            _draft_in_review(consultation, spec["draft"], today)
            made += 1
        refresh = getattr(consultation, "refresh_stage", None)
        if callable(refresh):
            refresh()

    resident = get_user_model().objects.filter(email="resident1@example.com").first()
    for slug in ("qingshi", "taoyuan"):
        if resident is not None and slug in communities:
            operations.follow_community(resident, communities[slug])
    stdout.write(
        f"Outcomes: {made} created, {OutcomePage.objects.count()} in all; "
        f"{operations.overdue_consultations(today).count()} overdue consultation(s), "
        f"{operations.overdue_items(today).count()} overdue decision(s)."
    )
    return [("legal reviewer (法律审核)", LEGAL_EMAIL, PASSWORDS["official"])]
