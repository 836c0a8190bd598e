"""Load the demo: communities, consultations and every feature, with printed logins.

Idempotent: running it again finds what it made before and adds only what is missing.
Each capability keeps its demo content in `consultations/<capability>/demo.py`, whose
`load(stdout)` may return (role, email, password) logins to print.

The output is for a newcomer running `make run`: what was made, one line per mail the
demo sent (caught while loading instead of printed MIME-encoded by the console backend),
and the logins last, in a table aligned for double-width Chinese characters.
"""

import unicodedata
from collections import Counter

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Page

from consultations.communities import demo as communities_demo
from consultations.consultation_pages import demo as consultation_pages_demo
from consultations.hearings import demo as hearings_demo
from consultations.ledger import demo as ledger_demo
from consultations.models import ConsultationPage, HearingPage, OutcomePage, PollPage
from consultations.notifications import demo as notifications_demo
from consultations.outcomes import demo as outcomes_demo
from consultations.polls import demo as polls_demo
from consultations.roster import demo as roster_demo
from consultations.suggestions import demo as suggestions_demo
from home.links import sync_default_site

# In this order: the roster after the polls, whose earlier demo ballots were cast before
# 青石村 kept a roster; outcomes after the capabilities whose consultations they close; then
# the ledger, which records them all; the notifications of what the demo resident follows.
LOADERS = [
    communities_demo,
    consultation_pages_demo,
    suggestions_demo,
    hearings_demo,
    polls_demo,
    roster_demo,
    outcomes_demo,
    ledger_demo,
    notifications_demo,
]


def width(text):
    """Columns `text` takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(text))


def clip(text, columns):
    """`text` cut to fit `columns` (with "…")."""
    text = str(text)
    if width(text) <= columns:
        return text
    while width(text) > columns - 1:
        text = text[:-1]
    return text + "…"


def pad(text, columns):
    return str(text) + " " * max(columns - width(text), 0)


def table(rows):
    """Rows of cells as lines, each column as wide as its widest cell."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = "Load idempotent demo data (fictional communities, consultations and users)."

    def handle(self, *args, **options):
        logins = []
        # Mail sent while loading (on commit, by the immediate task backend) is caught
        # here and summarised, not printed in full by the console backend.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            with transaction.atomic():
                for loader in LOADERS:
                    logins += loader.load(self.stdout) or []
                # Links in mails, feeds and QR codes point where the demo is served (`make
                # run` passes PORTAL_BASE_URL with its PORT).
                sync_default_site()
            sent = list(mail.outbox)
            mail.outbox = []
        self.write_summary(sent)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Demo logins (demo only, never in production):")
        )
        rows = [("role", "email or phone", "password")]
        rows += [(role, email, password) for role, email, password in logins]
        for line in table(rows):
            self.stdout.write(line)

    def write_summary(self, sent):
        live = Page.objects.live()
        counts = [
            ("consultations", live.type(ConsultationPage).count()),
            ("hearings", live.type(HearingPage).count()),
            ("polls", live.type(PollPage).count()),
            ("outcomes", live.type(OutcomePage).count()),
        ]
        self.stdout.write("")
        self.stdout.write(
            "Published on the site: " + ", ".join(f"{n} {what}" for what, n in counts)
        )
        self.stdout.write(f"{len(sent)} mails sent while loading (not delivered):")
        recipients = {}
        for message in sent:
            recipients.setdefault(message.subject, []).extend(message.to)
        for subject, to in recipients.items():
            first = Counter(to).most_common(2)
            shown = ", ".join(address for address, _n in first)
            if len(to) > len(first):
                shown += f" and {len(to) - len(first)} more"
            self.stdout.write(f"  {clip(subject, 56)} → {shown}")
