"""Short, typeable addresses: Chinese titles get pinyin slugs (home/slugs.py)."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from consultations.models import ConsultationPage
from home.slugs import MAX_SLUG_LENGTH, pinyin_slug
from tests.conftest import PASSWORD, make_consultation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("村道硬化工程", "cun-dao-ying-hua-gong-cheng"),
        ("2026年LED路灯改造", "2026-nian-led-lu-deng-gai-zao"),
        ("关于“文化广场”的意见（第二期）！", "guan-yu-wen-hua-guang-chang-de-yi-jian"),
        ("Park & Ride", "park-ride"),
        ("？！……", ""),
    ],
)
def test_pinyin_slug_of_chinese_latin_and_punctuation(title, slug):
    assert pinyin_slug(title) == slug


def test_pinyin_slug_is_short_ascii_lower_case_and_cut_between_syllables():
    slug = pinyin_slug("关于本村东西两片区道路硬化、路灯安装和排水沟渠改造工程的实施方案意见征集")
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug.isascii() and slug == slug.lower()
    assert not slug.endswith("-")
    assert all(part for part in slug.split("-"))


def test_a_new_page_with_a_chinese_title_gets_a_unique_pinyin_slug(tree):
    first = make_consultation(tree.a, slug="", title="村道硬化")
    second = make_consultation(tree.a, slug="", title="村道硬化")
    elsewhere = make_consultation(tree.b, slug="", title="村道硬化")
    assert first.slug == "cun-dao-ying-hua"
    assert second.slug == "cun-dao-ying-hua-2"  # unique among siblings
    assert elsewhere.slug == "cun-dao-ying-hua"  # another parent: no clash
    assert first.url.endswith("/cun-dao-ying-hua/")


def test_the_admin_title_sync_remnant_becomes_pinyin_but_a_typed_slug_stays(tree):
    # With unicode slugs off the admin's title sync types only the Latin part ("2026").
    synced = make_consultation(tree.a, slug="2026", title="2026年村道硬化")
    typed = make_consultation(tree.a, slug="roads", title="村道硬化")
    assert synced.slug == "2026-nian-cun-dao-ying-hua"
    assert typed.slug == "roads"


def test_published_pages_keep_their_slug_and_a_changed_one_leaves_a_redirect(
    client, tree, django_capture_on_commit_callbacks
):
    page = make_consultation(tree.a, slug="村道硬化", title="村道硬化")
    assert page.slug == "cun-dao-ying-hua"  # never published before: still free to change
    old_url = page.url
    # A page published before pinyin slugs, with its percent-encoded address.
    ConsultationPage.objects.filter(pk=page.pk).update(
        slug="村道硬化", url_path=page.url_path.replace("cun-dao-ying-hua", "村道硬化")
    )
    page = ConsultationPage.objects.get(pk=page.pk)
    page.summary = "新的摘要。"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.slug == "村道硬化"  # published: its address is printed already
    page.slug = "cundao"  # an editor shortens it: the old address redirects
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert Redirect.objects.filter(redirect_page=page).exists()
    page.refresh_from_db()
    assert client.get(page.url).status_code == 200
    assert client.get(old_url.replace("cun-dao-ying-hua", "村道硬化")).status_code == 301


def test_the_editor_sees_the_pinyin_slug_after_saving_in_the_admin(client, tree, superuser):
    from tests.consultations.consultation_pages.test_admin import add_url, form

    assert client.login(email=superuser.email, password=PASSWORD)
    response = client.post(add_url(tree.a), form(title="文化广场修建", slug=""))
    assert response.status_code == 302
    page = ConsultationPage.objects.get(title="文化广场修建")
    assert page.slug == "wen-hua-guang-chang-xiu-jian"
