"""Benchmark: results of a poll with 1,000,000 ballots.

    .venv/bin/python bench/poll_results.py [--ballots N] [--configured-db]

By default it builds a throwaway SQLite database in a temporary folder (migrated from
scratch), so it never touches your data; with --configured-db it uses DATABASE_URL (e.g.
a scratch PostgreSQL database) and removes the poll it made at the end.

It inserts N ballots (default 1,000,000) with the counters `cast_ballot` would leave, then
prints: the time of `poll_results` (what the page, card and downloads use), the time and
query count of a full poll-page request, the cost of a few real `cast_ballot` calls at that
size, and for comparison the naive way — counting ballots on every request.

Measured on the shared 2-core development machine (SQLite, 1,000,000 ballots):
    poll_results()                        1.1 ms
    GET poll page (full render)          70 ms, 18 queries (the same as with 10 ballots)
    cast_ballot() at that size           14 ms
    naive count per request            6800 ms
"""

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--configured-db", action="store_true")
    return parser.parse_args()


def setup_django(args):
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    if not args.configured_db:
        folder = tempfile.mkdtemp(prefix="poll-bench-")
        # The throwaway database (about 230 MB at a million ballots) goes when we exit.
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # Plain static files storage and no HTTPS redirect: the benchmark runs no web server.
    os.environ.setdefault("PORTAL_TESTING", "1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    # A throwaway key for this process only; the benchmark serves nothing.
    os.environ.setdefault("SECRET_KEY", "poll-bench-" + uuid.uuid4().hex)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(label, func, repeat=5):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"  {label:<58} {best * 1000:10.2f} ms (best of {repeat})")
    return result


def build(n):
    import json
    import random
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page, Site

    from consultations.models import (
        Category,
        CommunityIndexPage,
        CommunityPage,
        ConsultationPage,
        Format,
    )
    from consultations.polls.models import OptionTally, PollPage, PollTurnout, ResultsVisibility
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = HomePage(title="bench", slug=f"bench-{uuid.uuid4().hex[:8]}")
    root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    county = CommunityIndexPage(title="县", slug="county", kind="county")
    home.add_child(instance=county)
    village = CommunityPage(title="村", slug="village", kind="village")
    county.add_child(instance=village)
    now = timezone.now()
    consultation = ConsultationPage(
        title="议题",
        slug="topic",
        summary="bench",
        organiser="bench",
        category=Category.objects.first(),
        format=Format.objects.first(),
    )
    village.add_child(instance=consultation)

    q1 = [str(uuid.uuid4()) for _ in range(3)]
    q2 = [str(uuid.uuid4()) for _ in range(5)]

    def question(options, kind, max_choices=None):
        return {
            "type": "question",
            "id": str(uuid.uuid4()),
            "value": {
                "text": f"Question {kind}",
                "help_text": "",
                "kind": kind,
                "min_choices": 1,
                "max_choices": max_choices,
                "options": [
                    {
                        "type": "item",
                        "id": oid,
                        "value": {"label": f"Option {i}", "description": "", "image": None},
                    }
                    for i, oid in enumerate(options)
                ],
            },
        }

    poll = PollPage(
        title="Bench poll",
        slug="poll",
        questions=json.dumps([question(q1, "single"), question(q2, "multiple", 3)]),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        eligibility="any",
        results_visibility=ResultsVisibility.LIVE,
    )
    consultation.add_child(instance=poll)
    for page in (home, county, village, consultation, poll):
        page.save_revision().publish()

    rng = random.Random(1)  # noqa: S311 - benchmark data
    counts = dict.fromkeys(q1 + q2, 0)
    today = timezone.localdate().isoformat()
    table = connection.ops.quote_name("consultations_ballot")
    placeholder = "%s"
    sql = f"INSERT INTO {table} (id, poll_id, choices, cast_on) VALUES ({placeholder}, {placeholder}, {placeholder}, {placeholder})"  # noqa: S608 - fixed identifiers
    start = time.perf_counter()
    chunk = 20_000
    for offset in range(0, n, chunk):
        rows = []
        for _ in range(min(chunk, n - offset)):
            chosen = [rng.choice(q1), *rng.sample(q2, rng.randint(1, 3))]
            for oid in chosen:
                counts[oid] += 1
            ballot_id = uuid.uuid4()
            rows.append(
                (
                    ballot_id.hex if connection.vendor == "sqlite" else str(ballot_id),
                    poll.pk,
                    json.dumps(sorted(chosen)),
                    today,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    OptionTally.objects.bulk_create(
        [OptionTally(poll=poll, option_id=oid, votes=v) for oid, v in counts.items()]
    )
    PollTurnout.objects.create(poll=poll, voters=n)
    print(f"  inserted {n:,} ballots in {time.perf_counter() - start:.1f} s")
    return poll, home, counts


def naive_counts(poll):
    """What the portal avoids: counting ballots on every request."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c, COUNT(*) FROM consultations_ballot, jsonb_array_elements_text(choices) c "
                "WHERE poll_id = %s GROUP BY c",
                [poll.pk],
            )
        else:
            cursor.execute(
                "SELECT j.value, COUNT(*) FROM consultations_ballot, json_each(consultations_ballot.choices) j "
                "WHERE poll_id = %s GROUP BY j.value",
                [poll.pk],
            )
        return dict(cursor.fetchall())


def main():
    args = parse_args()
    setup_django(args)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from consultations.polls.operations import cast_ballot
    from consultations.polls.results import poll_results

    print(f"Poll results benchmark on {connection.vendor} with {args.ballots:,} ballots")
    poll, home, counts = build(args.ballots)

    results = timed("poll_results() (counters: page, card, CSV, JSON)", lambda: poll_results(poll))
    online = {o["id"]: o["online"] for q in results["questions"] for o in q["options"]}
    assert online == counts, "counters disagree with the inserted ballots"

    client = Client(HTTP_HOST="localhost")
    client.get(poll.url)
    response = timed("GET poll page (full render)", lambda: client.get(poll.url))
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(poll.url)
    print(f"  {'queries for the poll page':<58} {len(ctx.captured_queries):10d}")
    timed("GET results/json/", lambda: client.get(poll.url + "results/json/"))

    User = get_user_model()
    voters = [
        User.objects.create_user(email=f"bench-{uuid.uuid4().hex[:10]}@example.com")
        for _ in range(20)
    ]
    from allauth.account.models import EmailAddress

    for voter in voters:
        EmailAddress.objects.create(user=voter, email=voter.email, verified=True, primary=True)
    option_ids = [q["options"] for q in poll.question_list]
    start = time.perf_counter()
    for voter in voters:
        cast_ballot(poll, voter, [option_ids[0][0]["id"], option_ids[1][0]["id"]])
    per_cast = (time.perf_counter() - start) / len(voters) * 1000
    print(f"  {'cast_ballot() at this size (mean of 20)':<58} {per_cast:10.2f} ms")

    naive = timed(
        "naive: count ballots per option on each request", lambda: naive_counts(poll), repeat=2
    )
    assert sum(naive.values()) >= sum(counts.values())

    if args.configured_db:
        home.delete()
        for voter in voters:
            voter.delete()
    print("Done.")


if __name__ == "__main__":
    main()
