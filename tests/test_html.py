"""Rendered pages keep three rules of HTML the W3C checker would report.

Every page type and state of the audit's fixture portal (tests/e2e/portal.py), in both
languages, anonymous or signed in, is rendered with the test client and parsed with the
standard library's HTML parser: no `<form>` inside a `<p>` (the parser would close the
paragraph before it), no empty `action=""` (the form's address would be missing), and every
`<time datetime>` a valid HTML date or date and time in whole seconds.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from tests.e2e.portal import RESIDENT_EMAIL, build_portal

pytestmark = pytest.mark.django_db

# 2026-12-14, or 2026-12-14T09:00:00+08:00 (or Z): what `datetime_attr` writes.
TIME_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$")


class Rules(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_paragraphs = 0
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p":
            self.open_paragraphs += 1
        elif tag == "form":
            if self.open_paragraphs:
                self.problems.append("<form> inside <p>")
            if "action" in attrs and not (attrs["action"] or "").strip():
                self.problems.append('<form action="">')
        elif tag == "time" and "datetime" in attrs:
            if not TIME_VALUE.match(attrs["datetime"] or ""):
                self.problems.append(f'<time datetime="{attrs["datetime"]}">')

    def handle_endtag(self, tag):
        if tag == "p" and self.open_paragraphs:
            self.open_paragraphs -= 1
        elif tag in ("div", "section", "article", "li", "td", "main", "form"):
            # A block element's end tag implies the end of a paragraph left open inside it.
            self.open_paragraphs = 0


def test_rendered_pages_keep_the_html_rules(client, tree):
    audits = build_portal(tree)
    problems = []
    for audit in audits:
        if audit.step:
            continue  # the ballot review is a POST; the browser audits check it
        if audit.signed_in:
            from django.contrib.auth import get_user_model

            client.force_login(get_user_model().objects.get(email=RESIDENT_EMAIL))
        else:
            client.logout()
        for prefix in ("", "/en"):
            response = client.get(prefix + audit.path)
            assert response.status_code == audit.status, f"{audit.name}: {response.status_code}"
            rules = Rules()
            rules.feed(response.content.decode())
            problems += [
                f"{audit.name} ({prefix or settings.LANGUAGE_CODE}): {p}" for p in rules.problems
            ]
    assert not problems, "\n".join(sorted(set(problems)))


def test_time_attributes_are_whole_seconds_in_local_time(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    from datetime import UTC, date, datetime

    from consultations.templatetags.portal_tags import datetime_attr

    moment = datetime(2026, 12, 14, 1, 0, 0, 123456, tzinfo=UTC)
    assert datetime_attr(moment) == "2026-12-14T09:00:00+08:00"
    assert datetime_attr(date(2026, 12, 14)) == "2026-12-14"
    assert datetime_attr(None) == ""
