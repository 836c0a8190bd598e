"""The home page, error pages, the open-data API and settings from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.conftest import make_consultation

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def test_home_page_shows_friendly_empty_states_in_chinese(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "目前没有正在进行的协商" in html
    assert "近期没有安排听证会" in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html


def test_home_page_in_english_has_a_language_switcher(client, home_page):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "No consultation is open right now." in html
    assert 'href="/" lang="zh-hans"' in html
    assert 'href="/en/" lang="en"' in html


def test_home_page_lists_open_consultations(client, tree):
    consultation = make_consultation(tree.a, title="村口路灯安装")
    html = client.get("/en/").content.decode()
    assert "村口路灯安装" in html
    assert consultation.url in html
    assert "No consultation is open right now." not in html


def test_typical_page_stays_light(client, tree):
    make_consultation(tree.a)
    response = client.get("/")
    css = (BASE_DIR / "static/css/portal.css").read_bytes()
    assert len(response.content) + len(css) < 100 * 1024


@pytest.mark.parametrize("prefix,text", [("", "找不到该页面"), ("/en", "Page not found")])
def test_not_found_page_in_both_languages(client, home_page, prefix, text):
    response = client.get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.parametrize("prefix,text", [("", "拒绝访问"), ("/en", "Access denied")])
def test_permission_denied_page_in_both_languages(client, home_page, prefix, text):
    from django.test import RequestFactory
    from django.utils import translation

    from home.views import permission_denied

    with translation.override("en" if prefix else "zh-hans"):
        response = permission_denied(RequestFactory().get(f"{prefix}/"))
    assert response.status_code == 403
    assert text in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_renders_without_context(client, home_page):
    from django.test import RequestFactory
    from django.utils import translation

    from home.views import server_error

    with translation.override("en"):
        response = server_error(RequestFactory().get("/en/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_api_lists_published_pages(client, tree):
    consultation = make_consultation(tree.a, title="公开数据测试")
    response = client.get("/api/v2/pages/?type=consultations.ConsultationPage")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [item["title"] for item in data["items"]] == ["公开数据测试"]
    assert data["items"][0]["meta"]["type"] == "consultations.ConsultationPage"
    assert data["items"][0]["id"] == consultation.pk
    for endpoint in ("images", "documents"):
        assert client.get(f"/api/v2/{endpoint}/").status_code == 200


def read_settings(env, *names):
    """Import the settings module in a fresh process with `env` and report `names`."""
    code = (
        "import json, portal.settings as s; "
        f"print(json.dumps({{n: repr(getattr(s, n)) for n in {list(names)!r}}}))"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "PORTAL_TESTING", "TIME_ZONE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_settings_read_the_environment():
    result = read_settings(
        {
            "SECRET_KEY": "x" * 60,
            "DATABASE_URL": "postgres://portal@db.example:5432/portal",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
            "TIME_ZONE": "Asia/Urumqi",
            "ALLOWED_HOSTS": "a.example,b.example",
        },
        "DATABASES",
        "CACHES",
        "TIME_ZONE",
        "ALLOWED_HOSTS",
        "DEBUG",
        "TASKS",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert "django.db.backends.postgresql" in values["DATABASES"]
    assert "db.example" in values["DATABASES"]
    assert "RedisCache" in values["CACHES"]
    assert values["TIME_ZONE"] == "'Asia/Urumqi'"
    assert values["ALLOWED_HOSTS"] == "['a.example', 'b.example']"
    assert values["DEBUG"] == "False"
    # In production mail and indexing are queued for `manage.py db_worker`.
    assert "django_tasks_db.DatabaseBackend" in values["TASKS"]


def test_settings_defaults_are_sqlite_local_cache_and_shanghai_time():
    result = read_settings(
        {"DEBUG": "1"},
        "DATABASES",
        "CACHES",
        "TIME_ZONE",
        "EMAIL_BACKEND",
        "PORTAL_DELIVERY_EMAIL_BACKEND",
        "TASKS",
    )
    values = json.loads(result.stdout)
    assert "sqlite3" in values["DATABASES"]
    assert "LocMemCache" in values["CACHES"]
    assert values["TIME_ZONE"] == "'Asia/Shanghai'"
    # Every sender queues its mail; the task delivers it to the console.
    assert "home.mail.QueuedEmailBackend" in values["EMAIL_BACKEND"]
    assert "console" in values["PORTAL_DELIVERY_EMAIL_BACKEND"]
    # `make run` needs no task worker: tasks run in the web process in development.
    assert "ImmediateBackend" in values["TASKS"]


def test_settings_refuse_to_start_without_a_secret_key_in_production():
    result = read_settings({"DEBUG": "0"}, "DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
