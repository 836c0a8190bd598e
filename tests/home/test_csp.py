"""The site's Content-Security-Policy (home/csp.py) holds because no template needs more."""

import re
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [BASE / "templates", BASE / "home", BASE / "consultations", BASE / "accounts"]
# Under /admin/ Wagtail's own inline code is allowed (settings.PORTAL_ADMIN_CSP_DIRECTIVES);
# mails are not web pages.
NOT_SITE = {"admin", "wagtailadmin", "wagtailusers", "mail"}
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>"),
    "style element": re.compile(r"<style[\s>]"),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def site_templates():
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if not NOT_SITE.intersection(path.relative_to(directory).parts):
                yield path


def test_site_templates_have_no_inline_script_style_or_handler():
    found = []
    for path in site_templates():
        text = path.read_text(encoding="utf-8")
        for kind, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(BASE)}:{line}: {kind}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_every_site_response_says_where_scripts_and_styles_may_come_from(client, home_page):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_english_admin_gets_the_admin_policy(client, superuser):
    client.force_login(superuser)
    policy = client.get("/en/admin/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy


@pytest.mark.django_db
def test_a_preview_keeps_the_site_policy_but_may_be_framed_by_the_admin(rf, consultation):
    response = consultation.make_preview_request(rf.get("/admin/"))
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "script-src 'self';" in policy + ";"
    assert "unsafe-inline" not in policy
