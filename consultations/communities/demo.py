"""Demo: a fictional county with two townships/streets, six communities and the users."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from consultations.communities.operations import (
    ensure_area_officials_group,
    ensure_community_groups,
)
from consultations.models import (
    CommitteeContact,
    CommunityIndexPage,
    CommunityPage,
    ConsultationIndexPage,
)
from home.links import site_host_and_port
from home.models import HomePage, PortalSettings

COUNTY = ("qinghe", "清河县（示例）")
AREAS = [
    (
        "liuxi",
        "柳溪镇",
        CommunityIndexPage.Kind.TOWNSHIP,
        [
            ("qingshi", "青石村", CommunityPage.Kind.VILLAGE, 412, 1380, 95),
            ("taoyuan", "桃源村", CommunityPage.Kind.VILLAGE, 356, 1102, 60),
            ("baisha", "白沙村", CommunityPage.Kind.VILLAGE, 528, 1764, 210),
        ],
    ),
    (
        "donghu",
        "东湖街道",
        CommunityIndexPage.Kind.STREET,
        [
            ("yangguang", "阳光社区", CommunityPage.Kind.URBAN, 2980, 6120, 3050),
            ("heping", "和平社区", CommunityPage.Kind.URBAN, 2210, 4870, 1990),
            ("jinxiu", "锦绣花园社区", CommunityPage.Kind.URBAN, 1650, 2300, 2780),
        ],
    ),
]

PASSWORDS = {
    "admin": "Demo-admin-2026",
    "editor": "Demo-editor-2026",
    "official": "Demo-official-2026",
    "resident": "Demo-resident-2026",
}


def get_or_add_child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page:
        return page
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_home():
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    home = HomePage(
        title="社区协商平台",
        slug="portal-home",
        intro="<p>村（社区）的事大家商量着办。在这里查看正在协商的议题，提交意见建议，报名参加听证会，参与民意征询，并查看协商成果的落实情况。</p>",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site:
        site.root_page = home
        site.site_name = "社区协商平台"
        site.save()
    else:
        hostname, port = site_host_and_port()
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="社区协商平台",
        )
    # Wagtail's placeholder "Welcome" page is no longer reachable; remove it.
    if (
        old_root
        and old_root.pk != home.pk
        and old_root.depth > 1
        and not old_root.get_children().exists()
    ):
        old_root.delete()
    return home


def ensure_user(
    email,
    password,
    *,
    display_name="",
    superuser=False,
    staff=False,
    community=None,
    residence_status="",
):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if not user:
        if superuser:
            user = User.objects.create_superuser(email=email, password=password)
        else:
            user = User.objects.create_user(email=email, password=password, is_staff=staff)
        user.display_name = display_name
        user.community = community
        user.residence_status = residence_status
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load(stdout):
    home = ensure_home()
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    if not settings.contact_phone:
        settings.portal_name = "社区协商平台"
        settings.contact_phone = "0000-1234567"
        settings.contact_email = "contact@example.org"
        settings.contact_address = "清河县民政局（示例地址）"
        settings.footer_text = "本网站为演示站点，所有地名、人名和数据均为虚构。"
        settings.save()
    get_or_add_child(
        home,
        ConsultationIndexPage,
        "consultations",
        title="协商议题",
        intro="<p>全县各村（社区）正在进行和已经完成的协商议题。</p>",
    )
    county = get_or_add_child(
        home, CommunityIndexPage, COUNTY[0], title=COUNTY[1], kind=CommunityIndexPage.Kind.COUNTY
    )
    communities = {}
    areas = {}
    for slug, title, kind, villages in AREAS:
        area = get_or_add_child(
            county, CommunityIndexPage, slug, title=title, kind=kind, contact="0000-7654321"
        )
        areas[slug] = area
        ensure_area_officials_group(area)
        for cslug, ctitle, ckind, households, registered, non_registered in villages:
            community = get_or_add_child(
                area,
                CommunityPage,
                cslug,
                title=ctitle,
                kind=ckind,
                households=households,
                registered_residents=registered,
                non_registered_residents=non_registered,
                office_address=f"{title}{ctitle}党群服务中心（示例）",
                office_phone="0000-5550100",
                office_hours="周一至周五 8:30–17:30",
            )
            if not community.committee_contacts.exists():
                CommitteeContact.objects.create(
                    page=community, role="主任", name="王主任（示例）", phone="0000-5550101"
                )
            ensure_community_groups(community)
            communities[cslug] = community

    editors, reviewers = ensure_community_groups(communities["qingshi"])
    admin = ensure_user(
        "admin@example.com", PASSWORDS["admin"], display_name="管理员", superuser=True
    )
    editor = ensure_user(
        "editor@example.com", PASSWORDS["editor"], display_name="青石村编辑", staff=True
    )
    editor.groups.add(editors)
    reviewer = ensure_user(
        "reviewer@example.com", PASSWORDS["editor"], display_name="青石村审核", staff=True
    )
    reviewer.groups.add(reviewers)
    official = ensure_user(
        "official@example.com", PASSWORDS["official"], display_name="柳溪镇干部", staff=True
    )
    official.groups.add(ensure_area_officials_group(areas["liuxi"]))
    residents = [
        ("resident1@example.com", "李大爷", "qingshi", "registered"),
        ("resident2@example.com", "张阿姨", "qingshi", "non_registered"),
        ("resident3@example.com", "陈小明", "yangguang", "registered"),
    ]
    for email, name, cslug, status in residents:
        ensure_user(
            email,
            PASSWORDS["resident"],
            display_name=name,
            community=communities[cslug],
            residence_status=status,
        )
    stdout.write(f"Communities: {CommunityPage.objects.count()}; admin user: {admin.email}")
    return [
        ("superuser (admin)", "admin@example.com", PASSWORDS["admin"]),
        ("community editor (青石村)", "editor@example.com", PASSWORDS["editor"]),
        ("community reviewer (青石村)", "reviewer@example.com", PASSWORDS["editor"]),
        ("township official (柳溪镇)", "official@example.com", PASSWORDS["official"]),
    ] + [(f"resident ({name})", email, PASSWORDS["resident"]) for email, name, _c, _s in residents]
