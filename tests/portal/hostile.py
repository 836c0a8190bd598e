"""Hostile values and a small portal to throw them at (tests/portal/test_hostile_input.py).

`hostile_text` draws what a careless or malicious client may send: arbitrary Unicode, NUL
bytes and other control characters, lone surrogates (sent as the bytes a broken client
would send), huge and negative numbers, out-of-range dates and very long strings.
`HTMLForms` reads the forms of a rendered page (action, method, fields with their
values), so the tests post to every form a page offers without naming its fields.
"""

import uuid
from html.parser import HTMLParser
from urllib.parse import quote, urljoin

from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from consultations.models import ConsultationIndexPage, SuggestionFormPage
from consultations.suggestions.models import Suggestion
from tests.conftest import add_page, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, register
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import make_poll

# One profile for every property-based test here: few examples per listing and per form
# (each example fills every parameter or field at once; about 60 targets in all, so CI
# stays fast; HYPOTHESIS_PROFILE=thorough runs 200 each), no deadline (a page render may
# be slow on a shared machine), and function-scoped fixtures are fine (each form example
# is rolled back).
settings.register_profile(
    "portal",
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
settings.register_profile("thorough", parent=settings.get_profile("portal"), max_examples=200)

SPECIAL = [
    "",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f",
    "\ud800",
    "x\udfffy",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999",
    str(2**63),
    "1e308",
    "NaN",
    "99999",
    "0000",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-02-30",
    "x" * 5000,
    "中" * 3000,
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "[]",
    "{}",
    "\u202e",
    "\ufeff",
]

hostile_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=20),
    st.integers().map(str),
)


def encode(pairs):
    """`pairs` as a query string, lone surrogates as the bytes a broken client sends."""
    return "&".join(
        f"{quote(name, safe='', errors='surrogatepass')}="
        f"{quote(value, safe='', errors='surrogatepass')}"
        for name, value in pairs
    )


def get(client, url, params):
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}{encode(params)}" if params else url)


def post(client, url, pairs):
    return client.post(url, encode(pairs), content_type="application/x-www-form-urlencoded")


class HTMLForms(HTMLParser):
    """The forms of a page: [{"action", "method", "fields": [(name, value)], "choices"}]."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self.forms.append(
                {
                    "action": urljoin(self.page_url, action),
                    "method": (attrs.get("method") or "get").lower(),
                    "fields": [],
                    "choices": {},
                }
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                form["choices"].setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("file", "submit", "image", "reset"):
                form["fields"].append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            form["fields"].append((name, "文字"))
        elif tag == "select" and name:
            self._select = name
            form["choices"].setdefault(name, [])
        elif tag == "option" and self._select:
            form["choices"][self._select].append(attrs.get("value", ""))
        elif tag == "button" and name:
            form["choices"].setdefault(name, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    @classmethod
    def of(cls, response, page_url):
        parser = cls(page_url)
        parser.feed(response.content.decode())
        for form in parser.forms:
            given = {name for name, _value in form["fields"]}
            for name, values in form["choices"].items():
                if name not in given and values:
                    form["fields"].append((name, values[-1]))
        return parser.forms


def build_portal(tree):
    """A consultation in community A with every attached page, and a few records."""
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    consultation = make_consultation(tree.a, slug="road", title="村道硬化工程")
    form = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    author = make_user(f"author-{uuid.uuid4().hex[:6]}@example.com", community=tree.a)
    suggestion = Suggestion.objects.create(
        page=form,
        user=author,
        token=uuid.uuid4().hex,
        status=Suggestion.Status.PUBLISHED,
        moderated_at=timezone.now(),
        form_data={"title": "路灯", "opinion": "村口太暗", "topic_part": ""},
    )
    hearing = make_hearing(consultation)
    poll = make_poll(consultation)
    outcome = make_outcome(consultation)
    return {
        "index": index,
        "consultation": consultation,
        "form": form,
        "suggestion": suggestion,
        "hearing": hearing,
        "session": hearing.sessions.get(),
        "poll": poll,
        "outcome": outcome,
        "register": register,
    }
