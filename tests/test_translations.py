"""The Chinese admin and site read as Chinese: no English word on any page type's screens.

Renders, in zh-hans, the admin's main listings and the edit and create views of every
portal page type (as a superuser, who sees every panel and menu item), and the public
page types; extracts the visible text (text nodes outside scripts and styles, and the
attributes a user sees or hears: aria-label, title, placeholder, alt, button values)
and fails on English words outside a small allow-list (brand names, units, formats).
A failure names the word, the text around it and the screen.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from wagtail.models import get_page_models

from consultations.models import ConsultationIndexPage
from tests.conftest import add_page, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing
from tests.consultations.ledger.factories import add_suggestions
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import make_poll

pytestmark = pytest.mark.django_db

# Words that stay as they are in Chinese text: names, units, file formats, protocols.
ALLOWED = {
    "wagtail",
    "api",
    "csv",
    "xlsx",
    "pdf",
    "rss",
    "atom",
    "qr",
    "sms",
    "url",
    "html",
    "ics",
    "svg",
    "jpg",
    "png",
    "gif",
    "webp",
    "id",
    "ok",
    "javascript",
    "http",
    "https",
    "www",
    "com",
    "org",
    "example",
    # The language switcher names each language in itself; keys on the keyboard.
    "english",
    "ctrl",
    "alt",
    "shift",
    "esc",
    "cmd",
}

VISIBLE_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}
HIDDEN_ELEMENTS = {"script", "style", "noscript", "svg", "code", "pre", "textarea", "option"}
# What users typed or what identifies something (addresses, e-mails) is not interface text.
# Neither are the test server's host name and model identifiers ("consultations.pollpage").
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|/\S*|\b[\w-]+(?:\.[\w-]+)+\b|\btestserver\b|\b\w*\d\w*\b"
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class VisibleText(HTMLParser):
    """Text a user sees or hears; skips scripts, styles and elements marked `hidden`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, hidden)
        self.chunks = []

    @property
    def hidden(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = (
            self.hidden
            or tag in HIDDEN_ELEMENTS
            or "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
        )
        if not hidden:
            for name in VISIBLE_ATTRIBUTES:
                if attrs.get(name):
                    self.chunks.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Close up to the matching element (HTML lets some end tags be left out).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.chunks.append(data.strip())


# Wagtail's sidebar is drawn by JavaScript from JSON in the page: its labels count too.
SIDEBAR_LABEL = re.compile(r'"label": "((?:[^"\\]|\\.)*)"')
SIDEBAR_PROPS = re.compile(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', re.S)


def english_words(html):
    """[(word, the text it stands in)] for every English word a user sees in `html`."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    chunks = list(parser.chunks)
    for props in SIDEBAR_PROPS.findall(html):
        chunks += [
            label.encode().decode("unicode_escape") for label in SIDEBAR_LABEL.findall(props)
        ]
    for chunk in chunks:
        text = NOT_WORDS.sub(" ", chunk)
        for word in WORD.findall(text):
            if word.lower() not in ALLOWED:
                found.append((word, chunk[:80]))
    return found


@pytest.fixture
def pages(tree):
    consultation = make_consultation(tree.a)
    return {
        "home": tree.home,
        "index": add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations")),
        "county": tree.county,
        "community": tree.a,
        "consultation": consultation,
        "suggestions": add_suggestions(consultation, 1).specific,
        "hearing": make_hearing(consultation),
        "poll": make_poll(consultation, title="道路方案投票"),
        "outcome": make_outcome(consultation),
    }


def admin_urls(pages):
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[pages["community"].pk]),
        reverse("wagtailadmin_explore", args=[pages["consultation"].pk]),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailsnippets:index"),
        reverse("wagtailforms:index"),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
    ]
    for page in pages.values():
        urls.append(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    parent_of = {
        "consultation": pages["community"],
        "suggestions": pages["consultation"],
        "hearing": pages["consultation"],
        "poll": pages["consultation"],
    }
    for name, parent in parent_of.items():
        model = type(pages[name])
        urls.append(
            reverse(
                "wagtailadmin_pages:add",
                args=[model._meta.app_label, model._meta.model_name, parent.pk],
            )
        )
    return urls


def report(findings):
    lines = list(dict.fromkeys(f"{url}: {text!r}" for url, _word, text in findings))
    return "English in the Chinese interface:\n" + "\n".join(lines[:80])


def test_the_chinese_admin_shows_no_english(client, pages):
    admin = make_user("admin@example.com", superuser=True)
    client.force_login(admin)
    findings = []
    for url in admin_urls(pages):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        findings += [(url, w, t) for w, t in english_words(response.content.decode())]
    assert not findings, report(findings)
    # The explorer menu is 页面 (pages), not 分页 (pagination, the portal's own string once).
    sidebar = SIDEBAR_PROPS.search(client.get(reverse("wagtailadmin_home")).content.decode())
    assert '"\\u9875\\u9762"' in sidebar.group(1) or '"页面"' in sidebar.group(1)


def test_the_chinese_site_shows_no_english(client, pages):
    findings = []
    for page in pages.values():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        findings += [(page.url, w, t) for w, t in english_words(response.content.decode())]
    assert not findings, report(findings)


def test_the_check_finds_english():
    html = (
        '<p>本村 Shortcuts</p><button aria-label="Close">x</button><script>var a="b";</script>'
        "<p>联系 admin@example.com，下载 CSV</p>"
    )
    assert [word for word, _ in english_words(html)] == ["Shortcuts", "Close"]


def test_page_types_are_all_checked(pages):
    """A new page type must be added to the `pages` fixture above."""
    checked = {type(page) for page in pages.values()}
    portal_types = {
        model for model in get_page_models() if model._meta.app_label in ("home", "consultations")
    }
    assert portal_types == checked
