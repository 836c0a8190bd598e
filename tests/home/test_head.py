"""The page head: the site name once in the title, a meta description; robots.txt, favicon."""

import re

import pytest

from tests.conftest import make_consultation

pytestmark = pytest.mark.django_db


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_the_home_page_title_is_the_site_name_once(client, home_page):
    assert title(client.get(home_page.url)) == "社区协商平台"


def test_a_page_title_ends_with_the_site_name(client, tree):
    consultation = make_consultation(tree.a)
    response = client.get(consultation.url)
    assert title(response) == "村道硬化工程 · 社区协商平台"
    # No search description: the summary describes the page.
    assert '<meta name="description" content="拟对村主干道进行硬化，请村民提出意见。">' in (
        response.content.decode()
    )


def test_the_search_description_comes_first(client, tree):
    consultation = make_consultation(tree.a, search_description="村道硬化的协商")
    assert '<meta name="description" content="村道硬化的协商">' in (
        client.get(consultation.url).content.decode()
    )


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_a_favicon_without_remote_assets(client, home_page):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get(home_page.url).content.decode()


def test_the_admin_shows_staff_avatars_without_gravatar(client, editor_a):
    client.force_login(editor_a)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html
    assert "default-user-avatar" in html


def test_the_home_area_list_lists_areas_only(client, tree):
    from consultations.models import ConsultationIndexPage
    from tests.conftest import add_page

    add_page(tree.home, ConsultationIndexPage(title="全部协商议题", slug="consultations"))
    html = client.get(tree.home.url).content.decode()
    areas = html[html.index('id="section-areas"') :]
    assert tree.county.title in areas
    assert "全部协商议题" not in areas


def test_what_you_can_do_now_names_only_what_the_consultation_offers(client, tree):
    from tests.consultations.hearings.factories import make_hearing

    consultation = make_consultation(tree.a)
    make_hearing(consultation)
    html = client.get(consultation.url).content.decode()
    now = html[html.index('id="now-title"') : html.index('id="timeline-title"')]
    assert "报名参加下面的听证会" in now
    assert "投票" not in now
    assert "提交您的意见建议" not in now
