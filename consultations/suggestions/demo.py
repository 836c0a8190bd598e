"""Demo: suggestion forms on several demo consultations, with suggestions in every state.

Pending, published and awaiting an answer, answered with each answer status, rejected
with a reason and merged into another. Rows are written directly (no mail is queued).
Idempotent: a consultation that already has its "suggestions" page is left as is; a
consultation the consultations demo did not create is skipped.
"""

from datetime import timedelta

from django.utils import timezone

from consultations.communities.demo import PASSWORDS, ensure_user
from consultations.models import CommunityPage, ConsultationPage, Suggestion, SuggestionFormPage

# Demo residents who write most of the suggestions (they can sign in with the resident
# password, but are not printed among the logins).
VILLAGERS = [
    ("villager1@example.com", "王建国", "qingshi"),
    ("villager2@example.com", "刘桂英", "qingshi"),
    ("villager3@example.com", "赵德明", "qingshi"),
    ("villager4@example.com", "孙丽华", "taoyuan"),
    ("villager5@example.com", "周海涛", "yangguang"),
    ("villager6@example.com", "吴秀兰", "yangguang"),
    ("villager7@example.com", "郑志强", "baisha"),
]

# (author, title, opinion, part of the topic, state, detail)
# state: pending | published | answered:<answer> | rejected | merged:<index of target>
SUGGESTIONS = {
    "main-road-paving": [
        (
            "villager1",
            "先修学校门口那一段",
            "孩子们每天上学都要走村口到小学这段路，雨天特别滑，建议第一期先修这一段。",
            "施工顺序",
            "answered:adopted",
            "已采纳：第一期工程从村口修至村小学，计划暑假期间施工，避开上学时间。",
        ),
        (
            "villager2",
            "排水沟要加盖板",
            "排水沟如果不加盖板，老人和小孩晚上容易掉进去，建议全线加装水泥盖板。",
            "排水沟",
            "answered:partly",
            "部分采纳：居民集中居住路段和学校周边加装盖板，田间路段因造价原因暂不加盖。",
        ),
        (
            "villager3",
            "路面宽度能否到六米",
            "现在农用车会车困难，建议硬化到六米宽。",
            "路面宽度",
            "answered:not_adopted",
            "暂不采纳：项目资金按4.5米标准核定，加宽需占用较多耕地。将在会车困难处增设3处错车道。",
        ),
        (
            "resident2",
            "施工期间的临时通道",
            "我家门口是唯一出入口，施工期间希望留一条人能走的临时通道。",
            "临时交通",
            "answered:adopted",
            "已采纳：施工单位将分半幅施工，保证住户出入。",
        ),
        (
            "villager1",
            "路灯也一起安排",
            "既然要修路，建议把路灯一起规划进去，晚上出行更安全。",
            "配套设施",
            "answered:out_of_scope",
            "路灯不在本次交通水利项目范围内，已转村“两委”列入明年民生实事项目征集。",
        ),
        (
            "villager2",
            "占地补偿标准要公开",
            "门前场地被占用的，补偿标准请在公开栏公示。",
            "占地",
            "answered:referred",
            "占地补偿标准将提交村民代表会议讨论后，再提请村民会议决定。",
        ),
        (
            "villager3",
            "希望用透水砖",
            "人行部分能不能铺透水砖，下雨不积水。",
            "材料",
            "published",
            "",
        ),
        (
            "resident1",
            "老井旁边的路段要注意",
            "老井旁边地势低，修路时要把排水做好，不然井水会被污染。",
            "排水沟",
            "published",
            "",
        ),
        (
            "villager1",
            "施工时间避开农忙",
            "五月和十月是农忙，施工车辆太多会影响收割，建议避开。",
            "施工顺序",
            "pending",
            "",
        ),
        ("villager2", "路面加宽问题", "同意加宽路面，会车太难了。", "路面宽度", "merged:2", ""),
        ("villager3", "广告", "加微信领取优惠券。", "", "rejected", "与协商议题无关的广告内容。"),
        (
            "resident2",
            "工程质量监督",
            "建议请村务监督委员会和村民代表一起参与工程质量监督。",
            "监督",
            "pending",
            "",
        ),
    ],
    "waste-sorting-points": [
        (
            "villager1",
            "投放点不要离住户太近",
            "夏天味道大，投放点离住户至少二十米。",
            "选址",
            "answered:adopted",
            "已采纳：投放点选址距住户均不少于20米。",
        ),
        (
            "villager2",
            "定时清运",
            "建议每天早晚各清运一次。",
            "清运",
            "answered:partly",
            "部分采纳：夏季每天两次，其他季节每天一次。",
        ),
        (
            "villager3",
            "设置分类指导员",
            "刚开始分类大家不熟悉，希望有人现场指导。",
            "宣传",
            "answered:adopted",
            "已采纳：由志愿者轮流担任分类指导员，为期三个月。",
        ),
        (
            "resident1",
            "积分兑换",
            "分类做得好的户可以积分换生活用品。",
            "激励",
            "answered:not_adopted",
            "暂不采纳：积分兑换需要持续的经费来源，村集体目前无法保证。将先开展“红黑榜”评比。",
        ),
        (
            "resident2",
            "厨余垃圾堆肥",
            "厨余垃圾可以就地堆肥，给茶园用。",
            "处理方式",
            "published",
            "",
        ),
        (
            "villager1",
            "投放点加雨棚",
            "下雨天扔垃圾不方便，建议加雨棚。",
            "设施",
            "answered:adopted",
            "已采纳：所有投放点均加装雨棚。",
        ),
        (
            "villager2",
            "不同意收费",
            "垃圾处理不应该向村民收费。",
            "费用",
            "rejected",
            "本议题不涉及收费，相关内容已转村委会答复；为避免误解，本条不公开。",
        ),
        (
            "villager3",
            "定点投放时间",
            "早上六点到八点、晚上六点到八点集中投放。",
            "清运",
            "merged:1",
            "",
        ),
    ],
    "irrigation-canal-repair": [
        (
            "villager4",
            "先修漏水最严重的那段",
            "二组到三组之间渠道漏水最严重，建议优先修复。",
            "修复顺序",
            "answered:adopted",
            "已采纳：二组至三组段列为第一批修复。",
        ),
        ("villager4", "错开灌溉期", "施工要错开春灌，不然影响插秧。", "施工时间", "published", ""),
        ("resident1", "渠道两边种树", "渠道两边可以种些树，防止水土流失。", "绿化", "pending", ""),
    ],
    "elevator-retrofit": [
        (
            "villager5",
            "低层住户的补偿",
            "一楼二楼用不上电梯，却要承担采光和噪音影响，应当给予补偿。",
            "费用分摊",
            "answered:referred",
            "涉及全体业主利益分配，提交居民会议讨论决定。",
        ),
        (
            "villager6",
            "电梯停靠方式",
            "建议采用平层入户，方便老人轮椅出入。",
            "设计方案",
            "answered:partly",
            "部分采纳：具备条件的单元采用平层入户，其余单元为半层入户。",
        ),
        (
            "resident3",
            "施工期间的安全",
            "施工期间楼道要有临时照明和防护。",
            "施工安全",
            "answered:adopted",
            "已采纳：写入施工合同安全条款。",
        ),
        (
            "villager5",
            "费用分摊方案公开",
            "请把各楼层的分摊比例公开，让大家心里有数。",
            "费用分摊",
            "published",
            "",
        ),
        ("villager6", "维保费用", "电梯以后的维保费用怎么分担？", "后期维护", "pending", ""),
        ("resident3", "同意加装", "我家四楼，非常希望早点装上电梯。", "", "published", ""),
    ],
    "requisition-compensation": [
        (
            "villager7",
            "补偿标准按新标准执行",
            "希望按照县里最新公布的标准执行，不要按老标准。",
            "补偿标准",
            "answered:referred",
            "补偿标准分歧较大，已提请村民会议表决。",
        ),
        (
            "villager7",
            "安置房的位置",
            "安置房建议建在村部附近，方便老人看病。",
            "安置",
            "answered:adopted",
            "已采纳：安置点选在村部东侧。",
        ),
        (
            "villager1",
            "补偿款的发放",
            "补偿款要直接打到各户账户，不要经过中间环节。",
            "发放方式",
            "answered:adopted",
            "已采纳：补偿款通过“一卡通”直接发放到户。",
        ),
    ],
    "qingshi-taoyuan-link-road": [
        (
            "villager1",
            "连接路要有人行道",
            "两村之间学生来往多，建议设置人行道。",
            "道路设计",
            "published",
            "",
        ),
        (
            "villager4",
            "线路尽量少占耕地",
            "线路沿现有机耕路走，尽量少占耕地。",
            "线路",
            "pending",
            "",
        ),
    ],
}

ANSWERS = {choice.value for choice in Suggestion.Answer}


def _users():
    users = {}
    for email, name, slug in VILLAGERS:
        community = CommunityPage.objects.filter(slug=slug).first()
        user = ensure_user(
            email,
            PASSWORDS["resident"],
            display_name=name,
            community=community,
            residence_status="registered",
        )
        users[email.split("@")[0]] = user
    for number in (1, 2, 3):
        user = ensure_user(f"resident{number}@example.com", PASSWORDS["resident"])
        users[f"resident{number}"] = user
    return users


def _add_form_page(consultation):
    page = SuggestionFormPage(
        title="意见建议征集",
        slug="suggestions",
        intro=(
            "<p>请围绕本议题提出您的意见建议。每条意见经审核后公开，"
            "组织方将逐条答复采纳情况，不采纳的说明理由。</p>"
        ),
        thank_you_text="<p>感谢您的参与！审核通过后您的意见将在本页公开，答复后会通知您。</p>",
        max_per_resident=3,
    )
    consultation.add_child(instance=page)
    page.save_revision().publish()
    return page


def _add_suggestions(page, specs, users, editor):
    now = timezone.now()
    created = []
    for index, (author, title, opinion, part, state, detail) in enumerate(specs):
        when = now - timedelta(days=len(specs) - index, hours=index)
        suggestion = Suggestion(
            page=page,
            user=users[author],
            token=f"demo-{page.pk}-{index}",
            form_data={"title": title, "opinion": opinion, "topic_part": part},
            show_name=index % 2 == 0,
        )
        kind, _sep, value = state.partition(":")
        if kind in ("published", "answered"):
            suggestion.status = Suggestion.Status.PUBLISHED
            suggestion.moderated_at = when + timedelta(hours=6)
        if kind == "answered" and value in ANSWERS:
            suggestion.answer_status = value
            suggestion.answer = detail
            suggestion.answered_by = editor
            suggestion.answered_at = when + timedelta(days=1)
        if kind == "rejected":
            suggestion.status = Suggestion.Status.REJECTED
            suggestion.rejection_reason = detail
            suggestion.moderated_at = when + timedelta(hours=6)
        if kind == "merged":
            suggestion.status = Suggestion.Status.MERGED
            suggestion.merged_into = created[int(value)]
            suggestion.moderated_at = when + timedelta(hours=6)
        suggestion.save()
        # submit_time is set on insert; spread the demo over the past days.
        Suggestion.objects.filter(pk=suggestion.pk).update(submit_time=when)
        created.append(suggestion)
    return created


def load(stdout):
    users = _users()
    editor = ensure_user("editor@example.com", PASSWORDS["editor"])
    pages = 0
    total = 0
    for slug, specs in SUGGESTIONS.items():
        consultation = ConsultationPage.objects.filter(slug=slug).first()
        if consultation is None:
            continue
        if SuggestionFormPage.objects.child_of(consultation).exists():
            continue
        page = _add_form_page(consultation)
        total += len(_add_suggestions(page, specs, users, editor))
        pages += 1
    stdout.write(f"Suggestions: {pages} suggestion forms, {total} suggestions added.")
    return []
