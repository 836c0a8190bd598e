"""Shared fixtures: a site with the community tree, staff and residents.

The tree mirrors the demo at a smaller scale: one county, one township with two
communities (A and B), and one street with one community (C).
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.models import Page, Site

from consultations.communities.operations import (
    ensure_area_officials_group,
    ensure_community_groups,
)
from consultations.models import CommunityIndexPage, CommunityPage
from home.models import HomePage

PASSWORD = "Correct-horse-battery-9"


def pytest_collection_modifyitems(items):
    """Transactional tests (concurrency, browser) restore the migrated baseline afterwards.

    A transactional test empties every table when it ends; the rows our and Wagtail's
    migrations create (the root page, the default locale, the seeded catalogue) would be
    gone for the tests after it. `serialized_rollback` puts them back.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True),
                append=False,
            )


@pytest.fixture(autouse=True)
def _fast_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits live in the cache; each test starts with a clean slate.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def requires_postgres():
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
    )


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    home = HomePage(title="社区协商平台", slug="home-test")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    return home


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def tree(home_page):
    """county → township (A, B) and street (C); returns a simple namespace of pages."""
    county = add_page(home_page, CommunityIndexPage(title="测试县", slug="county", kind="county"))
    township = add_page(
        county, CommunityIndexPage(title="测试镇", slug="township", kind="township")
    )
    street = add_page(county, CommunityIndexPage(title="测试街道", slug="street", kind="street"))
    a = add_page(township, CommunityPage(title="甲村", slug="village-a", kind="village"))
    b = add_page(township, CommunityPage(title="乙村", slug="village-b", kind="village"))
    c = add_page(street, CommunityPage(title="丙社区", slug="community-c", kind="urban"))
    return type(
        "Tree",
        (),
        {
            "home": home_page,
            "county": county,
            "township": township,
            "street": street,
            "a": a,
            "b": b,
            "c": c,
        },
    )


def make_user(email, *, community=None, verified=True, staff=False, superuser=False, groups=()):
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(email=email, password=PASSWORD)
    else:
        user = User.objects.create_user(
            email=email,
            password=PASSWORD,
            is_staff=staff,
            community=community,
            display_name=email.split("@")[0],
            residence_status="registered",
        )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    for group in groups:
        user.groups.add(group)
    return user


@pytest.fixture
def resident(tree):
    return make_user("resident-a@example.com", community=tree.a)


@pytest.fixture
def other_resident(tree):
    return make_user("resident-b@example.com", community=tree.b)


@pytest.fixture
def editor_a(tree):
    editors, _reviewers = ensure_community_groups(tree.a)
    return make_user("editor-a@example.com", staff=True, groups=[editors])


@pytest.fixture
def reviewer_a(tree):
    _editors, reviewers = ensure_community_groups(tree.a)
    return make_user("reviewer-a@example.com", staff=True, groups=[reviewers])


@pytest.fixture
def editor_b(tree):
    editors, _reviewers = ensure_community_groups(tree.b)
    return make_user("editor-b@example.com", staff=True, groups=[editors])


@pytest.fixture
def official(tree):
    return make_user(
        "official@example.com", staff=True, groups=[ensure_area_officials_group(tree.township)]
    )


@pytest.fixture
def superuser(tree):
    return make_user("admin@example.com", superuser=True)


def en(url):
    """The English address of a page URL (Chinese is served unprefixed)."""
    return "/en" + url


def make_consultation(parent, slug="consultation", title="村道硬化工程", **fields):
    """A live ConsultationPage; by default open for input today."""
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Category, ConsultationPage, Format

    today = timezone.localdate()
    defaults = {
        "summary": "拟对村主干道进行硬化，请村民提出意见。",
        "organiser": "村民委员会",
        "category": Category.objects.get(slug="roads-water"),
        "format": Format.objects.get(slug="online"),
        "notice_date": today - timedelta(days=5),
        "input_opens": today - timedelta(days=2),
        "input_closes": today + timedelta(days=10),
        "outcome_due": today + timedelta(days=40),
    }
    defaults.update(fields)
    return add_page(parent, ConsultationPage(title=title, slug=slug, **defaults))


@pytest.fixture
def consultation(tree):
    """An open consultation of community A."""
    return make_consultation(tree.a)
