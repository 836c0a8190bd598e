"""Benchmark: importing a 50,000-row roster file (GBK CSV), then re-importing it as updates.

    .venv/bin/python bench/roster_import.py [--rows N] [--configured-db]

By default it builds a throwaway SQLite database in a temporary folder (migrated from
scratch); with --configured-db it uses DATABASE_URL (a scratch database) and removes the
community it made at the end. It prints the time of reading the file, of the dry run
(`plan_import`) and of applying it (`apply_import`, one transaction), first into an empty
roster and then again with every tenth phone number changed (5,000 updates).

Measured on the shared 2-core development machine (busy with other test runs), 50,000 rows
(read + dry run + apply, all in one call of each):
    SQLite      first import 15.5–25.5 s   re-import with 5,000 updates 21.6 s
    PostgreSQL  first import 11.8 s        re-import with 5,000 updates 10.3 s
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
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--configured-db", action="store_true")
    return parser.parse_args()


def setup_django(args):
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    if not args.configured_db:
        folder = tempfile.mkdtemp(prefix="roster-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_TESTING", "1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECRET_KEY", "roster-bench-" + uuid.uuid4().hex)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_file(rows, changed_every=0):
    header = "姓名,身份证后六位,手机号,户籍状态,村民小组,户号,户代表,出生日期,状态"
    lines = [header]
    for i in range(rows):
        phone = 17000000000 + i + (5_000_000 if changed_every and i % changed_every == 0 else 0)
        lines.append(
            f"居民{i:05d},{i:06d},{phone},{'户籍' if i % 3 else '非户籍'},{i % 12 + 1}组,"
            f"H{i // 4:05d},{'是' if i % 4 == 0 else '否'},19{40 + i % 60}-0{i % 9 + 1}-1{i % 9},在住"
        )
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def main():
    args = parse_args()
    setup_django(args)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.models import Page

    from consultations.models import CommunityPage
    from consultations.roster.models import RosterPerson
    from consultations.roster.operations import (
        apply_import,
        guess_mapping,
        plan_import,
        read_import,
        store_upload,
    )

    root = Page.get_first_root_node()
    village = CommunityPage(title="村", slug=f"bench-{uuid.uuid4().hex[:8]}", kind="village")
    root.add_child(instance=village)
    try:
        for label, content in (
            ("first import", make_file(args.rows)),
            ("re-import, every 10th phone changed", make_file(args.rows, changed_every=10)),
        ):
            print(f"{label}: {args.rows} rows, {len(content) / 1e6:.1f} MB GBK CSV")
            start = time.perf_counter()
            roster_import, headers = store_upload(
                village, SimpleUploadedFile("roster.csv", content), None
            )
            _headers, rows = read_import(roster_import)
            mapping = guess_mapping(headers)
            read = time.perf_counter()
            plan = plan_import(village, rows, mapping)
            planned = time.perf_counter()
            applied_plan = apply_import(roster_import, mapping, None)
            done = time.perf_counter()
            print(f"  read (detect encoding, parse)  {read - start:8.2f} s")
            print(
                f"  dry run                        {planned - read:8.2f} s  "
                f"({len(plan.to_add)} add, {len(plan.to_update)} update, "
                f"{len(plan.rejected)} rejected)"
            )
            print(
                f"  apply (one transaction)        {done - planned:8.2f} s  "
                f"({len(applied_plan.to_add)} added, {len(applied_plan.to_update)} updated)"
            )
            print(f"  total                          {done - start:8.2f} s")
        print(f"roster size: {RosterPerson.objects.filter(community=village).count()}")
    finally:
        RosterPerson.objects.filter(community=village).delete()
        village.delete()


if __name__ == "__main__":
    main()
