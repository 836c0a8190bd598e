"""Build a province-sized portal quickly with bulk inserts (the data of `make bench`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/generate.py [--scale 1.0]

Into the (scratch) database of DATABASE_URL, already migrated and with the demo loaded, it
adds one county of 10 townships and, at --scale 1: 200 communities, 5,000 consultations,
each with a suggestion form, a hearing (one session), a poll and an outcome (two decision
items), 200,000 residents, 1,000,000 ballots (with their voter register entries and
tallies) and 100,000 suggestions. Pages are written as Wagtail stores them (tree paths,
URL paths, the specific table) without revisions or search indexing: the benchmark reads
pages, it does not edit them. Prints the time of each step.
"""

import argparse
import json
import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402

from consultations.hearings.models import HearingPage, HearingSession  # noqa: E402
from consultations.models import (  # noqa: E402
    Category,
    CommunityIndexPage,
    CommunityPage,
    ConsultationPage,
    Format,
    OutcomePage,
    SuggestionFormPage,
)
from consultations.outcomes.models import DecisionItem  # noqa: E402
from consultations.polls.models import PollPage  # noqa: E402
from home.models import HomePage  # noqa: E402

PASSWORD = "Bench-password-2026"  # noqa: S105 - scratch data
YES, NO = "aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"
QUESTIONS = [
    {
        "type": "question",
        "id": "11111111-1111-4111-8111-111111111111",
        "value": {
            "text": "是否同意该方案？",
            "help_text": "",
            "kind": "single",
            "min_choices": 1,
            "max_choices": None,
            "options": [
                {
                    "type": "item",
                    "id": oid,
                    "value": {"label": label, "description": "", "image": None},
                }
                for oid, label in ((YES, "同意"), (NO, "不同意"))
            ],
        },
    }
]


# Tables filled by INSERT … SELECT below (their foreign keys are checked once, at the end).
BULK_TABLES = (
    "accounts_user", "account_emailaddress", "consultations_voterregister",
    "consultations_ballot", "consultations_optiontally", "consultations_pollturnout",
    "consultations_suggestion",
)  # fmt: skip


def step(label, started):
    print(f"  {label:<48} {time.monotonic() - started:6.1f} s", flush=True)


def bulk_pages(parents, model, per_parent, fields_for):
    """Insert `per_parent` live pages of `model` below each parent; returns them."""
    content_type = ContentType.objects.get_for_model(model)
    locale = Locale.get_default()
    now = timezone.now()
    base, specific = [], []
    for parent in parents:
        for index in range(per_parent):
            fields = fields_for(parent, index)
            slug = fields.pop("slug")
            title = fields.pop("title")
            number = parent.numchild + index + 1
            base.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    live=True,
                    has_unpublished_changes=False,
                    url_path=f"{parent.url_path}{slug}/",
                    path=Page._get_path(parent.path, parent.depth + 1, number),
                    depth=parent.depth + 1,
                    numchild=0,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                    first_published_at=now,
                    last_published_at=now,
                )
            )
            specific.append((parent.pk, fields))
        parent.numchild += per_parent
    Page.objects.bulk_create(base, batch_size=2000)
    by_count = {}
    for parent in parents:
        by_count.setdefault(parent.numchild, []).append(parent.pk)
    for numchild, pks in by_count.items():
        Page.objects.filter(pk__in=pks).update(numchild=numchild)
    local = list(model._meta.local_concrete_fields)
    rows = []
    for page, (parent_pk, fields) in zip(base, specific, strict=True):
        obj = model(page_ptr_id=page.pk, **fields)
        obj.parent_pk = parent_pk
        for name in ("title", "slug", "path", "depth", "url_path", "numchild", "live"):
            setattr(obj, name, getattr(page, name))
        obj.pk = page.pk
        rows.append(obj)
    for start in range(0, len(rows), 2000):
        model._base_manager._insert(rows[start : start + 2000], fields=local, raw=True)
    return rows


def generate(scale):
    started = time.monotonic()
    n_communities = int(200 * scale)
    per_community = 25
    n_residents = int(200_000 * scale)
    ballots_per_poll = 200
    suggestions_per_form = 20
    today = timezone.localdate()
    now = timezone.now()
    home = HomePage.objects.first()
    # A bare Wagtail page (Wagtail's own template, no queries of ours): the yardstick of
    # "an empty Wagtail site" in the load run.
    home.add_child(instance=Page(title="Bare Wagtail page", slug="bench-bare"))
    home = HomePage.objects.get(pk=home.pk)
    category, fmt = Category.objects.first(), Format.objects.first()

    with transaction.atomic():
        county = bulk_pages(
            [home],
            CommunityIndexPage,
            1,
            lambda p, i: {"title": "基准县", "slug": "bench-county", "kind": "county"},
        )
        townships = bulk_pages(
            county, CommunityIndexPage, 10,
            lambda p, i: {"title": f"基准镇{i}", "slug": f"town-{i}", "kind": "township"},
        )  # fmt: skip
        communities = bulk_pages(
            townships, CommunityPage, n_communities // 10,
            lambda p, i: {"title": f"{p.title}第{i}村", "slug": f"village-{i}", "kind": "village"},
        )  # fmt: skip
        step(f"{len(communities)} communities", started)
        consultations = bulk_pages(
            communities, ConsultationPage, per_community,
            lambda p, i: {
                "title": f"{p.title}议题{i}", "slug": f"topic-{i}",
                "summary": "拟对村主干道进行硬化，请村民提出意见。", "organiser": "村民委员会",
                "category": category, "format": fmt,
                "notice_date": today - timedelta(days=5), "input_opens": today - timedelta(days=2),
                "input_closes": today + timedelta(days=10), "outcome_due": today + timedelta(days=40),
                "stage": "open",
            },
        )  # fmt: skip
        step(f"{len(consultations)} consultations", started)
        forms = bulk_pages(
            consultations, SuggestionFormPage, 1,
            lambda p, i: {"title": "意见征集", "slug": "suggestions"},
        )  # fmt: skip
        hearings = bulk_pages(
            consultations, HearingPage, 1,
            lambda p, i: {"title": "听证会", "slug": "hearing", "description": "<p>听取意见。</p>"},
        )  # fmt: skip
        polls = bulk_pages(
            consultations, PollPage, 1,
            lambda p, i: {
                "title": "民意调查", "slug": "poll", "questions": json.dumps(QUESTIONS),
                "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=7),
                "results_visibility": "live",
            },
        )  # fmt: skip
        outcomes = bulk_pages(
            consultations, OutcomePage, 1,
            lambda p, i: {"title": "协商成果公告", "slug": "outcome", "opinion": "<p>同意。</p>"},
        )  # fmt: skip
        step(f"{4 * len(consultations)} attached pages", started)
        HearingSession.objects.bulk_create(
            [
                HearingSession(
                    page_id=h.pk, sort_order=0, starts_at=now + timedelta(days=14),
                    ends_at=now + timedelta(days=14, hours=2), place="村委会会议室",
                    address="村委会", seats=30, registration_deadline=now + timedelta(days=12),
                )
                for h in hearings
            ],
            batch_size=5000,
        )  # fmt: skip
        DecisionItem.objects.bulk_create(
            [
                DecisionItem(page_id=o.pk, sort_order=i, decision=f"事项{i}")
                for o in outcomes
                for i in range(2)
            ],
            batch_size=5000,
        )
        step("hearing sessions, decision items", started)

        # The rows below are made by PostgreSQL itself (INSERT … SELECT generate_series),
        # which is many times faster than sending them from Python.
        password = make_password(PASSWORD)
        community_ids = [c.pk for c in communities]
        poll_ids = [p.pk for p in polls]
        poll_communities = [
            c.parent_pk for c in consultations
        ]  # polls[i] is below consultations[i]
        form_ids = [f.pk for f in forms]
        with connection.cursor() as cursor:
            # Foreign keys are checked at commit, row by row (Django's are deferred): for a
            # million rows that is most of the run. They are dropped for the bulk tables and
            # added again below, where PostgreSQL checks each in one pass over the table.
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [list(BULK_TABLES)],
            )
            foreign_keys = cursor.fetchall()
            # The pages' checks, still pending, run now (a table with pending checks cannot
            # be altered); later inserts are deferred again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name, _definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # Resident n has id first + n and lives in community_ids[n % C], so the j-th
            # resident of community k has id first + k + j * C.
            cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM accounts_user")
            first = cursor.fetchone()[0]
            n_com = len(community_ids)
            index_of = {pk: k for k, pk in enumerate(community_ids)}
            poll_community_index = [index_of[pk] for pk in poll_communities]
            cursor.execute(
                "INSERT INTO accounts_user (id, password, is_superuser, first_name, last_name, is_staff,"
                " is_active, date_joined, email, display_name, community_id, residence_status,"
                " preferred_language, phone_verified) "
                "SELECT %s + n, %s, false, '', '', false, true, now(),"
                " 'bench' || n || '@example.com', '居民' || n, (%s::bigint[])[1 + n %% %s],"
                " 'registered', 'zh-hans', false "
                "FROM generate_series(0, %s - 1) AS n",
                [first, password, community_ids, n_com, n_residents],
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'),"
                " (SELECT MAX(id) FROM accounts_user))"
            )
            cursor.execute(
                'INSERT INTO account_emailaddress (user_id, email, verified, "primary") '
                "SELECT id, email, true, true FROM accounts_user WHERE email LIKE 'bench%%'"
            )
            step(f"{n_residents} residents", started)
            # Each poll's voters: the first `ballots_per_poll` residents of its community.
            cursor.execute(
                "INSERT INTO consultations_voterregister"
                " (poll_id, user_id, community_id, assisted, voted_on, household_key) "
                "SELECT p.poll_id, %s + p.k + j * %s, p.community_id, false, CURRENT_DATE, '' "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::int[]) AS p(poll_id, community_id, k),"
                " generate_series(0, %s - 1) AS j",
                [first, n_com, poll_ids, poll_communities, poll_community_index, ballots_per_poll],
            )
            cursor.execute(
                "INSERT INTO consultations_ballot (id, poll_id, choices, cast_on) "
                "SELECT gen_random_uuid(), poll_id,"
                " CASE WHEN n %% 3 = 0 THEN %s::jsonb ELSE %s::jsonb END, CURRENT_DATE "
                "FROM unnest(%s::bigint[]) AS poll_id, generate_series(1, %s) AS n",
                [json.dumps([NO]), json.dumps([YES]), poll_ids, ballots_per_poll],
            )
            cursor.execute(
                "INSERT INTO consultations_optiontally (poll_id, option_id, community_id, votes) "
                "SELECT poll_id, choices->>0, NULL, COUNT(*) FROM consultations_ballot "
                "WHERE poll_id = ANY(%s) GROUP BY poll_id, choices->>0",
                [poll_ids],
            )
            cursor.execute(
                "INSERT INTO consultations_pollturnout (poll_id, community_id, voters) "
                "SELECT poll_id, NULL, COUNT(*) FROM consultations_voterregister "
                "WHERE poll_id = ANY(%s) GROUP BY poll_id",
                [poll_ids],
            )
            ballots = len(poll_ids) * ballots_per_poll
            step(f"{ballots} ballots (register, tallies)", started)
            cursor.execute(
                "INSERT INTO consultations_suggestion (form_data, submit_time, page_id, user_id,"
                " token, show_name, attachment, attachment_name, attachment_type, status,"
                " rejection_reason, answer_status, answer, support_count) "
                "SELECT jsonb_build_object('title', '建议' || n, 'opinion', '村口太暗，建议加装路灯。',"
                " 'topic_part', ''), now(), f.form_id, %s + f.k + n * %s,"
                " md5(random()::text || f.form_id || n), false, '', '', '',"
                " CASE WHEN n %% 2 = 1 THEN 'published' ELSE 'pending' END, '', '', '', 0 "
                "FROM unnest(%s::bigint[], %s::int[]) AS f(form_id, k),"
                " generate_series(0, %s - 1) AS n",
                [first, n_com, form_ids, poll_community_index, suggestions_per_form],
            )
            suggestions = len(form_ids) * suggestions_per_form
        step(f"{suggestions} suggestions", started)
        with connection.cursor() as cursor:
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        step(f"{len(foreign_keys)} foreign keys checked", started)
    with connection.cursor() as cursor:
        # Planner statistics and the visibility map for the tables filled here (a
        # whole-database VACUUM is slower): autovacuum then has nothing left to do on them
        # while the load run measures, which it otherwise does at its own moment.
        for table in (
            "wagtailcore_page", "accounts_user", "account_emailaddress",
            "consultations_voterregister", "consultations_ballot", "consultations_suggestion",
            "consultations_hearingsession", "consultations_consultationpage",
        ):  # fmt: skip
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    step("done (VACUUM, ANALYZE)", started)
    return {
        "communities": len(communities),
        "consultations": len(consultations),
        "residents": n_residents,
        "ballots": ballots,
        "suggestions": suggestions,
        "seconds": round(time.monotonic() - started, 1),
        "sample": {
            "community": communities[0].url_path,
            "consultation": consultations[0].url_path,
            "poll": polls[0].url_path,
            "hearing": hearings[0].url_path,
            "outcome": outcomes[0].url_path,
            "resident": "bench0@example.com",
            "bare": "/portal-home/bench-bare/",
        },
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--json", help="write the summary here")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/generate.py needs a scratch PostgreSQL database in DATABASE_URL")
    summary = generate(args.scale)
    print(json.dumps(summary, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2))
