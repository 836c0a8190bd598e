"""Shared fixtures: a site with the community tree, staff and residents.

The tree mirrors the demo at a smaller scale: one county, one township with two
communities (A and B), and one street with one community (C).

Speed: the tree (home page, Site, county/township/street, communities A/B/C and the
groups and workflows their creation sets up) is built once per session and committed in
the test database right after the migrations (`django_db_setup` below). Every test runs
in a transaction rolled back at its end, so it may change the tree freely; `home_page`
and `tree` only load fresh objects of it from the database (a handful of queries).

Transactional tests (PostgreSQL concurrency, browser journeys) empty every table when
they end. pytest-django runs them after all other database tests, and each one starts
from a snapshot of the migrated rows *and* the tree (`serialized_rollback`, with the
snapshot taken after the tree is built), so every test sees the same baseline.
"""

import hashlib
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import translation
from wagtail.models import Page, Site

from consultations.communities.operations import (
    ensure_area_officials_group,
    ensure_community_groups,
)
from consultations.models import CommunityIndexPage, CommunityPage
from home.models import HomePage

PASSWORD = "Correct-horse-battery-9"


def pytest_collection_modifyitems(items):
    """Transactional tests start from the migrated rows and the tree.

    A transactional test empties every table when it ends; the rows our and Wagtail's
    migrations create (the root page, the default locale, the seeded catalogue) and the
    shared tree would be gone for the transactional tests after it. Every transactional
    test here needs them, so `serialized_rollback` puts them back when it starts; a test
    that builds everything itself may opt out with `serialized_rollback=False`.
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


# --- the test database ----------------------------------------------------------------
#
# `--reuse-db` is off by default (`make test` and CI create the test database afresh, as a
# clean clone should); pass it locally (`make test PYTEST_ARGS=--reuse-db`) to skip the
# migrations on PostgreSQL. It is safe: Django applies new migrations to a kept database,
# and a kept database is recreated when any installed app's migration files differ from
# the ones that built it (edited or removed migrations, another branch, upgraded
# packages) or when the last run did not end cleanly. At the end of a run the kept
# database is put back to its migrated state (the tree is rebuilt by each run). SQLite's
# test database lives in memory, so there `--reuse-db` changes nothing.

STATE_TABLE = "portal_test_db_state"


def _migrations_fingerprint():
    """A hash of every installed app's migration files."""
    from django.apps import apps

    digest = hashlib.sha256()
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        for path in sorted((Path(app.path) / "migrations").glob("*.py")):
            digest.update(f"{app.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _kept_on_disk(conn):
    return not (
        conn.vendor == "sqlite" and conn.creation.is_in_memory_db(conn.settings_dict["NAME"])
    )


def _kept_database_is_reusable():
    """Whether the kept test database exists, came from these migrations and is clean."""
    test_name = connection.creation._get_test_db_name()
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(test_name):
        return True  # nothing is kept: a new in-memory database every run
    # Look into the kept database with the default connection, as Django's own test
    # database creation does, and leave the connection as it was.
    original_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = test_name
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT fingerprint, clean FROM {STATE_TABLE}")  # noqa: S608
            row = cursor.fetchone()
    except Exception:  # noqa: BLE001 - no such database or table: create it
        return False
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original_name
    return row is not None and row[0] == _migrations_fingerprint() and bool(row[1])


def _record_state(clean):
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} "
            "(fingerprint varchar(64) NOT NULL, clean boolean NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {STATE_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {STATE_TABLE} VALUES (%s, %s)",  # noqa: S608
            [_migrations_fingerprint(), clean],
        )


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_keepdb, django_db_blocker):
    """`--create-db`, or a kept database that cannot be reused safely."""
    if request.config.getvalue("create_db"):
        return True
    if not django_db_keepdb:
        return False
    with django_db_blocker.unblock():
        return not _kept_database_is_reusable()


# Primary keys of the tree's pages, set once per session by `django_db_setup`.
BASELINE = {}


def _build_baseline():
    """The home page, the Site and the community tree; returns {name: page pk}."""
    root = Page.get_first_root_node()
    home = add_page(root, HomePage(title="社区协商平台", slug="home-test"))
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    county = add_page(home, CommunityIndexPage(title="测试县", slug="county", kind="county"))
    township = add_page(
        county, CommunityIndexPage(title="测试镇", slug="township", kind="township")
    )
    street = add_page(county, CommunityIndexPage(title="测试街道", slug="street", kind="street"))
    a = add_page(township, CommunityPage(title="甲村", slug="village-a", kind="village"))
    b = add_page(township, CommunityPage(title="乙村", slug="village-b", kind="village"))
    c = add_page(street, CommunityPage(title="丙社区", slug="community-c", kind="urban"))
    pages = {"home": home, "county": county, "township": township, "street": street}
    pages.update(a=a, b=b, c=c)
    return {name: page.pk for name, page in pages.items()}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """pytest-django's test database, plus the tree, committed once for the session."""
    with django_db_blocker.unblock():
        kept = django_db_keepdb and _kept_on_disk(connection)
        migrated = getattr(connection, "_test_serialized_contents", None)
        if kept:
            if migrated is None:
                migrated = connection.creation.serialize_db_to_string()
            _record_state(clean=False)
        with transaction.atomic():
            BASELINE.update(_build_baseline())
        if hasattr(connection, "_test_serialized_contents"):
            # The snapshot transactional tests start from: migrated rows and the tree.
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    if kept:
        with django_db_blocker.unblock():
            from django.apps import apps
            from django.core.management import call_command
            from django.core.management.color import no_style

            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(migrated)
            # `flush` restarted the id sequences: move them past the restored rows.
            models = apps.get_models(include_auto_created=True)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
            _record_state(clean=True)


def _baseline_pages():
    """Fresh copies of the tree's pages, {name: specific page}."""
    pages = {page.pk: page for page in Page.objects.filter(pk__in=BASELINE.values()).specific()}
    if len(pages) != len(BASELINE):
        # Emptied by a transactional test that opted out of serialized_rollback: build
        # the tree inside this test.
        with transaction.atomic():
            BASELINE.update(_build_baseline())
        return _baseline_pages()
    return {name: pages[pk] for name, pk in BASELINE.items()}


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


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """The anonymous page cache is off, except in tests/home/test_page_cache.py.

    Tests of views change data and read the page again within microseconds; the cache
    would (rightly) serve them the copy of up to 30 seconds ago.
    """
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Chinese), whatever ran before.

    Requests activate their language in the test's thread and leave it active; without
    this, a test could pass or fail depending on the test before it.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def requires_postgres():
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
    )


@pytest.fixture
def home_page(db):
    """The site's home page (the tree below it is there too; see `tree`)."""
    return _baseline_pages()["home"]


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def tree(db):
    """county → township (A, B) and street (C); returns a simple namespace of pages."""
    return type("Tree", (), _baseline_pages())


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
