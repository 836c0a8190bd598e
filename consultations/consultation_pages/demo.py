"""Demo: a dozen consultations across the six demo communities and one township.

Every date-derived stage is present (advance notice, open for input, deliberation, and
one referred to the villagers' assembly); the outcome stages are added by the outcomes
demo. Dates are relative to the day the demo is loaded, so a fresh demo is always
"alive". Idempotent: a consultation that exists (same slug, same parent) is left as is.
It also makes sure every community and area has its groups and review workflow.
"""

import json
from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.utils import timezone

from consultations.models import (
    Category,
    CommunityIndexPage,
    CommunityPage,
    ConsultationPage,
    Format,
    ParticipantGroup,
)

# Days relative to today: notice, input opens, input closes, meeting, outcome due.
TIMELINES = {
    "notice": (-2, 4, 18, 21, 40),
    "open": (-10, -5, 9, 12, 30),
    "deliberation": (-40, -35, -12, -6, 14),
    "referred": (-60, -55, -30, -25, 5),
}

CONSULTATIONS = [
    {
        "parent": "qingshi",
        "slug": "main-road-paving",
        "title": "青石村主干道硬化及排水沟改造",
        "timeline": "open",
        "category": "roads-water",
        "format": "representatives",
        "groups": ["party-branch", "committee", "resident-groups", "registered-residents"],
        "organiser": "青石村村民委员会",
        "contact": "村委会 王主任 0000-5550101",
        "place": "青石村党群服务中心二楼会议室",
        "summary": "拟对村主干道约2.3公里进行水泥硬化，并同步改造两侧排水沟。请村民就施工路段先后顺序、占地和临时交通安排提出意见。",
        "body": [
            "村主干道雨天泥泞、排水不畅，群众多次反映。经村“两委”研究，拟申请县交通水利项目资金进行硬化改造。",
            "工程涉及部分农户门前场地和少量边角地，需协商临时占用和恢复方式。欢迎大家在征集期内提交意见建议，也可到村委会当面反映。",
        ],
    },
    {
        "parent": "qingshi",
        "slug": "tea-land-transfer",
        "title": "村集体土地流转用于茶叶种植",
        "timeline": "notice",
        "category": "land-transfer",
        "format": "assembly",
        "groups": ["collective", "cooperatives", "registered-residents", "supervisory-committee"],
        "organiser": "青石村股份经济合作社",
        "contact": "村务监督委员会 0000-5550102",
        "place": "青石村文化礼堂",
        "summary": "合作社拟将后山约180亩集体土地流转给茶叶专业合作社经营，期限十年。现提前通报流转方案，请村民届时参与协商。",
        "body": [
            "流转方案包括流转价格、期限、分红方式和到期后的土地恢复要求。方案全文和评估报告已在村务公开栏张贴。",
            "按照规定，涉及集体土地流转的事项须经村民会议协商。意见征集开始后，村民可在线提交意见，也可参加村民会议。",
        ],
    },
    {
        "parent": "qingshi",
        "slug": "waste-sorting-points",
        "title": "垃圾分类收集点设置方案",
        "timeline": "deliberation",
        "category": "environment",
        "format": "council",
        "groups": [
            "committee",
            "resident-groups",
            "registered-residents",
            "non-registered-residents",
        ],
        "organiser": "青石村村民议事会",
        "contact": "村委会 0000-5550101",
        "place": "青石村党群服务中心",
        "summary": "全村拟新设12个垃圾分类收集点，意见征集已结束，议事会正在汇总大家的意见，协商结果将按期公布。",
        "body": ["共收到意见建议46条，主要集中在收集点位置离住户过近、清运时间等方面。"],
    },
    {
        "parent": "taoyuan",
        "slug": "irrigation-canal-repair",
        "title": "桃源村灌溉水渠修缮工程",
        "timeline": "open",
        "category": "roads-water",
        "format": "online",
        "groups": ["committee", "cooperatives", "registered-residents", "experts"],
        "organiser": "桃源村村民委员会",
        "contact": "村委会 李委员 0000-5550201",
        "place": "桃源村村委会",
        "summary": "东片灌溉水渠渗漏严重，拟分两期修缮。请种植户就施工时间（避开用水高峰）和受益农户出工出资方式提出意见。",
        "body": ["水利站技术人员已完成现场勘查，修缮方案和预算见附件。"],
    },
    {
        "parent": "taoyuan",
        "slug": "culture-square-site",
        "title": "村文化广场建设选址",
        "timeline": "deliberation",
        "category": "public-facilities",
        "format": "council",
        "groups": ["party-branch", "committee", "resident-groups", "uninvolved-residents"],
        "organiser": "桃源村村民议事会",
        "contact": "村委会 0000-5550201",
        "place": "桃源村小学礼堂",
        "summary": "文化广场有村口晒谷场和老祠堂旁空地两个备选地址，议事会已召开协商会议，正在形成协商意见。",
        "body": ["两个选址的面积、改造费用和对周边住户的影响比较见下表。"],
    },
    {
        "parent": "baisha",
        "slug": "requisition-compensation",
        "title": "省道拓宽征地补偿安置方案",
        "timeline": "referred",
        "category": "requisition",
        "format": "hearing",
        "groups": [
            "government",
            "committee",
            "supervisory-committee",
            "registered-residents",
            "experts",
        ],
        "organiser": "白沙村村民委员会、柳溪镇人民政府",
        "contact": "镇征迁办 0000-7654322",
        "place": "白沙村文化礼堂",
        "summary": "省道拓宽涉及本村土地约65亩、房屋14户。听证会上对安置方式分歧较大，已提交村民会议决定。",
        "body": [
            "听证会听取了被征地农户、专家和镇政府的意见，对货币补偿与产权调换的比例未能形成一致意见。",
            "根据政策，对分歧较大的事项提交村民会议决定，会议时间另行通知。",
        ],
        "referred": True,
    },
    {
        "parent": "baisha",
        "slug": "homestead-boundary-dispute",
        "title": "二组宅基地界址纠纷协商调处",
        "timeline": "notice",
        "category": "disputes",
        "format": "evaluation",
        "groups": ["resident-groups", "supervisory-committee", "uninvolved-residents"],
        "organiser": "白沙村人民调解委员会",
        "contact": "调委会 0000-5550301",
        "place": "白沙村二组活动室",
        "summary": "二组两户村民因宅基地界址长期存在纠纷，拟邀请组内群众代表和老党员共同协商调处。",
        "body": ["协商将请与双方利益无关的群众代表参与，力求公平公正。"],
    },
    {
        "parent": "yangguang",
        "slug": "elevator-retrofit",
        "title": "老旧小区加装电梯意见征集",
        "timeline": "open",
        "category": "public-facilities",
        "format": "estate",
        "groups": [
            "committee",
            "owners-committee",
            "property-company",
            "registered-residents",
            "non-registered-residents",
        ],
        "organiser": "阳光社区居民委员会",
        "contact": "社区服务中心 0000-5550401",
        "place": "阳光社区党群服务中心",
        "summary": "阳光小区1至6号楼拟加装电梯，政府补贴部分费用。请各单元业主就费用分摊、低层住户补偿等提出意见。",
        "body": [
            "加装电梯需本单元参与表决的业主达到法定比例同意。社区将在意见征集结束后组织单元协商会。",
            "租住的非户籍居民也可就施工期间出行安排提出意见。",
        ],
    },
    {
        "parent": "yangguang",
        "slug": "parking-plan",
        "title": "小区停车位规划调整",
        "timeline": "notice",
        "category": "participant-requests",
        "format": "owners",
        "groups": ["owners-committee", "property-company", "registered-residents"],
        "organiser": "阳光社区业主委员会",
        "contact": "业委会 0000-5550402",
        "place": "阳光小区物业服务中心",
        "summary": "应多名业主要求，拟重新规划小区地面停车位并增设充电桩。现提前公布方案草图，意见征集即将开始。",
        "body": ["方案将消防通道、绿地保护和充电桩安全纳入考虑。"],
    },
    {
        "parent": "heping",
        "slug": "elderly-care-station",
        "title": "社区养老服务站运营方案",
        "timeline": "open",
        "category": "policies",
        "format": "representatives",
        "groups": ["committee", "social-organisations", "deputies", "registered-residents"],
        "organiser": "和平社区居民委员会",
        "contact": "社区 赵主任 0000-5550501",
        "place": "和平社区居民议事厅",
        "summary": "落实居家养老服务政策，社区拟引入社会组织运营养老服务站，提供助餐、日间照料服务。请居民对服务项目和收费标准提出意见。",
        "body": ["服务站选址在社区服务中心一楼，预计可提供每日80份助餐。"],
    },
    {
        "parent": "heping",
        "slug": "greening-renovation",
        "title": "小区绿化改造方案",
        "timeline": "deliberation",
        "category": "environment",
        "format": "estate",
        "groups": ["owners-committee", "property-company", "registered-residents"],
        "organiser": "和平社区居民委员会",
        "contact": "社区服务中心 0000-5550501",
        "place": "和平小区中心花园",
        "summary": "针对小区绿地被占、树木遮光等问题的改造方案已完成意见征集，正在与物业服务企业协商形成改造计划。",
        "body": ["共收到意见31条，部分低层住户要求修剪遮挡采光的树木。"],
    },
    {
        "parent": "jinxiu",
        "slug": "property-fee-adjustment",
        "title": "物业服务费调整听证",
        "timeline": "open",
        "category": "participant-requests",
        "format": "hearing",
        "groups": [
            "owners-committee",
            "property-company",
            "committee",
            "registered-residents",
            "non-registered-residents",
        ],
        "organiser": "锦绣花园社区居民委员会",
        "contact": "社区 0000-5550601",
        "place": "锦绣花园会所多功能厅",
        "summary": "物业服务企业申请上调物业服务费。社区将组织民主听证会，请业主在线提交意见并报名参加听证。",
        "body": ["物业服务企业提交的成本测算和服务标准对照表已公开，欢迎查阅。"],
    },
    {
        "parent": "liuxi",
        "slug": "qingshi-taoyuan-link-road",
        "title": "青石村至桃源村连通道路建设",
        "timeline": "open",
        "category": "roads-water",
        "format": "hearing",
        "groups": ["government", "committee", "registered-residents", "experts"],
        "organiser": "柳溪镇人民政府",
        "contact": "镇村建办 0000-7654323",
        "place": "柳溪镇政府三楼会议室",
        "summary": "跨村连通道路全长约3.8公里，涉及青石村、桃源村两村。由镇政府组织两村村民协商线路走向和占地补偿。",
        "body": [
            "本事项跨越两个村，按照政策由乡镇组织开展协商。两村村民均可提交意见。",
            "初步设计提供了沿河线和沿山线两个方案，专家论证意见附后。",
        ],
        "covers": ["qingshi", "taoyuan"],
    },
]


def _body(paragraphs):
    return json.dumps([{"type": "text", "value": f"<p>{text}</p>"} for text in paragraphs])


def _dates(kind, today):
    notice, opens, closes, meeting, due = (today + timedelta(days=d) for d in TIMELINES[kind])
    meeting_at = timezone.make_aware(datetime.combine(meeting, time(19, 30)))
    return {
        "notice_date": notice,
        "input_opens": opens,
        "input_closes": closes,
        "meeting_at": meeting_at,
        "outcome_due": due,
    }


def load(stdout):
    call_command("consultations_install_workflows", stdout=stdout)

    parents = {page.slug: page for page in CommunityPage.objects.all()}
    parents.update({page.slug: page for page in CommunityIndexPage.objects.all()})
    today = timezone.localdate()
    created = 0
    for spec in CONSULTATIONS:
        parent = parents.get(spec["parent"])
        if parent is None:
            continue
        if ConsultationPage.objects.child_of(parent).filter(slug=spec["slug"]).exists():
            continue
        page = ConsultationPage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=_body(spec["body"]),
            category=Category.objects.get(slug=spec["category"]),
            format=Format.objects.get(slug=spec["format"]),
            organiser=spec["organiser"],
            contact=spec["contact"],
            meeting_place=spec["place"],
            referred_to_assembly=spec.get("referred", False),
            **_dates(spec["timeline"], today),
        )
        parent.add_child(instance=page)
        page.participant_groups.set(ParticipantGroup.objects.filter(slug__in=spec["groups"]))
        page.covered_communities.set([parents[slug] for slug in spec.get("covers", [])])
        page.save_revision().publish()
        created += 1
    stdout.write(f"Consultations: {created} created, {ConsultationPage.objects.count()} in all.")
    return []
