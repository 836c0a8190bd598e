import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_friendly_empty_states_in_chinese(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "目前没有正在进行的协商" in html
