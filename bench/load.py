"""Load run of `make bench`: wrk against gunicorn (2 workers), PostgreSQL and Redis.

    DATABASE_URL=postgres://…/scratch REDIS_URL=redis://…/N .venv/bin/python bench/load.py \\
        --summary bench/results/generate.json [--port 8016] [--seconds 5]

Starts gunicorn with `bench.settings` (the portal plus `/bench/minimal/`), then for each page
type measures requests/s and p50/p95/p99 with wrk (8 connections), anonymous (served by the
page cache) and signed in (rendered every time), each as a ratio to the minimal Django view
measured in the same run. Then bursts of 50 concurrent residents cast a ballot and of 50
register for a hearing (3 rounds each: the forms and CSRF tokens are fetched first, then the
50 POSTs of a round are released at once and timed alone); queries per page
type; and an integrity check: ballots accepted = ballots counted, no double ballot, no
overbooked session, no 5xx. Writes bench/results/<date>.json and .md.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Tasks (mail, the ledger) are queued in the database as in production; no worker runs.
os.environ.setdefault("TASKS_BACKEND", "database")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]+)"')


def session_cookie(user):
    store = import_module(settings.SESSION_ENGINE).SessionStore()  # the portal's own
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def wrk(url, seconds, cookie=None, connections=8):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(BASE / "bench/report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 - our own command line
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    return json.loads(line.removeprefix("WRKJSON "))


def start_gunicorn(port):
    env = dict(os.environ, DEBUG="0", PORTAL_PAGE_CACHE_SECONDS="30")
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [str(BASE / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning",
         "portal.wsgi"],
        cwd=BASE, env=env, start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/minimal/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("gunicorn did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def prepare_post(port, path, cookie, choose):
    """GET the page (form and CSRF token) and build the POST; returns a callable sending it.

    The GET is done before the burst, so that the burst times the write alone, not the
    form pages fetched in the same second.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    csrf_cookie = next(
        (v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("csrftoken")),
        "",
    )  # fmt: skip
    token = CSRF.search(html)
    if not token:
        return lambda: (0, 0.0)
    fields = {"csrfmiddlewaretoken": token.group(1)}
    for name, value in RADIO.findall(html):
        fields.setdefault(name, value)
    target, extra = choose(html)
    fields.update(extra)
    body = urlencode(fields)
    headers = {"Cookie": f"{cookie}; {csrf_cookie}", "Content-Type": "application/x-www-form-urlencoded",
               "Referer": f"http://127.0.0.1:{port}{path}"}  # fmt: skip

    def send():
        post = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.monotonic()
        try:
            post.request("POST", target, body=body, headers=headers)
            status = post.getresponse().status
        except OSError:
            status = 0  # refused or timed out: counted as an error
        ms = (time.monotonic() - started) * 1000
        post.close()
        return status, ms

    return send


def burst(rounds):
    """Each round: every prepared POST released at once (one thread each).

    Returns statuses and latencies over all rounds; req/s is the POSTs over the time from
    each release to the last answer of its round, summed.
    """
    results, elapsed = [], 0.0
    for sends in rounds:
        answers = [None] * len(sends)
        gate = threading.Barrier(len(sends) + 1)

        def run(index, send, answers=answers, gate=gate):
            gate.wait()
            answers[index] = send()

        threads = [threading.Thread(target=run, args=(i, send)) for i, send in enumerate(sends)]
        for thread in threads:
            thread.start()
        gate.wait()
        started = time.monotonic()
        for thread in threads:
            thread.join()
        elapsed += time.monotonic() - started
        results += answers
    latencies = sorted(ms for _status, ms in results)

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1)

    return {
        "clients": len(rounds[0]),
        "rounds": len(rounds),
        "statuses": sorted({status for status, _ms in results}),
        "errors": sum(1 for status, _ms in results if status not in (200, 302)),
        "rps": round(len(results) / elapsed, 1),
        "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
        "accepted": sum(1 for status, _ms in results if status == 302),
    }  # fmt: skip


def queries_per_page(urls, cookie_user):
    """Queries of one uncached request per page type, anonymous and signed in."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    figures = {}
    for who, client in (("anonymous", Client()), ("signed_in", Client())):
        if who == "signed_in":
            client.force_login(cookie_user)
        for name, path in urls.items():
            client.get(path, HTTP_HOST="127.0.0.1")
            with CaptureQueriesContext(connection) as captured:
                client.get(path, HTTP_HOST="127.0.0.1")
            figures.setdefault(name, {})[who] = len(captured)
    return figures


def integrity(poll_id, hearing_id, ballots_before, accepted):
    from django.db.models import Count, F, Q

    from consultations.hearings.models import HearingSession
    from consultations.polls.models import Ballot, PollTurnout, SealedBallot, VoterRegister

    # A secret poll keeps the latest ballots sealed in its pool until a flush writes them
    # (some always wait while it is open): each pool entry is one ballot cast.
    ballots = (
        Ballot.objects.filter(poll_id=poll_id).count()
        + SealedBallot.objects.filter(poll_id=poll_id).count()
    )
    register = VoterRegister.objects.filter(poll_id=poll_id)
    doubles = register.values("user_id").annotate(n=Count("id")).filter(n__gt=1).count()
    turnout = sum(
        PollTurnout.objects.filter(poll_id=poll_id, community=None).values_list("voters", flat=True)
    )
    overbooked = (
        HearingSession.objects.filter(page_id=hearing_id)
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status="confirmed")))
        .filter(confirmed__gt=F("seats"))
        .count()
    )
    return {
        "ballots_accepted": accepted,
        "ballots_counted": ballots - ballots_before,
        "register_entries": register.count(),
        "turnout_counter": turnout,
        "double_ballots": doubles,
        "overbooked_sessions": overbooked,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--summary", required=True, help="JSON written by bench/generate.py")
    parser.add_argument("--port", type=int, default=8016)
    parser.add_argument("--seconds", type=int, default=3, help="per wrk measure")
    parser.add_argument(
        "--repeat", type=int, default=3, help="measures per figure (the median is kept)"
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="bursts of --clients writes")
    parser.add_argument("--writes-only", action="store_true", help="skip the page figures")
    parser.add_argument(
        "--first-resident", type=int, default=300,
        help="writers are the sample community's residents from this one on (a second run on "
        "the same data needs residents who have not voted or registered yet)",
    )  # fmt: skip
    parser.add_argument("--label", default="large")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench skips the load run)")
    summary = json.loads(Path(args.summary).read_text())
    sample = {k: v.removeprefix("/portal-home") for k, v in summary["sample"].items()}
    pages = {
        "bare_wagtail_page": sample["bare"],
        "home": "/",
        "community": sample["community"],
        "consultation": sample["consultation"],
        "poll_with_results": sample["poll"],
        "hearing": sample["hearing"],
        "outcome": sample["outcome"],
        "index_filtered": "/consultations/?stage=open",
        "search": "/search/?q=%E9%81%93%E8%B7%AF",
        "tracker": "/implementation/",
    }
    resident = User.objects.get(email=sample["resident"])
    cookie = session_cookie(resident)
    base = f"http://127.0.0.1:{args.port}"
    # The scratch Redis may hold an earlier run's entries (routes, remembered pages) made
    # from another database under the same version: start from an empty cache.
    from django.core.cache import cache

    cache.clear()
    process = start_gunicorn(args.port)
    results = {"pages": {}}
    try:
        minimal = wrk(base + "/bench/minimal/", args.seconds)
        results["minimal"] = minimal
        for name, path in {} if args.writes_only else pages.items():
            # The minimal view again right before each measure: a shared machine's speed
            # drifts during a run (other work, the host's neighbours), and a ratio means
            # something only against the minimal view measured under the same conditions.
            # Each figure is the median of `--repeat` such pairs, so that one hiccup (a
            # neighbour's burst, a checkpoint) does not decide it.
            row = {}
            for who, who_cookie in (("anonymous", None), ("signed_in", cookie)):
                tries = []
                for _ in range(args.repeat):
                    beside = wrk(base + "/bench/minimal/", args.seconds)
                    figures = wrk(base + path, args.seconds, who_cookie)
                    figures["ratio"] = round(figures["rps"] / beside["rps"], 3)
                    figures["minimal_rps"] = beside["rps"]
                    tries.append(figures)
                tries.sort(key=lambda figures: figures["ratio"])
                row[who] = tries[len(tries) // 2]
                row[who]["ratios_tried"] = [figures["ratio"] for figures in tries]
                # Every error counts, not only the median measure's.
                row[who]["non_2xx_3xx"] = sum(figures["non_2xx_3xx"] for figures in tries)
            row["minimal_rps"] = row["signed_in"]["minimal_rps"]
            results["pages"][name] = row
            print(
                name,
                {
                    w: (r["rps"], r["ratio"], r["ratios_tried"], r["non_2xx_3xx"])
                    for w, r in row.items()
                    if w != "minimal_rps"
                },
                flush=True,
            )
        results["minimal_after"] = wrk(base + "/bench/minimal/", args.seconds)

        from wagtail.models import Page

        from consultations.models import PollPage
        from consultations.polls.models import Ballot, SealedBallot

        poll = PollPage.objects.get(url_path="/portal-home" + sample["poll"])
        hearing_page = Page.objects.get(url_path="/portal-home" + sample["hearing"])
        community_residents = User.objects.filter(community=resident.community).order_by("pk")
        n = args.clients * args.rounds
        first = args.first_resident
        voters = list(community_residents[first : first + n])
        registrants = list(community_residents[first + n : first + 2 * n])
        ballots_before = (
            Ballot.objects.filter(poll=poll).count()
            + SealedBallot.objects.filter(poll=poll).count()
        )

        def cast(user):
            return prepare_post(
                args.port, sample["poll"], session_cookie(user),
                lambda html: (sample["poll"], {"confirm": "1"}),
            )  # fmt: skip

        def register(user):
            target = sample["hearing"] + "register/"
            return prepare_post(
                args.port, sample["hearing"], session_cookie(user),
                lambda html: (target, {"category": "affected", "phone": "13800000000"}),
            )  # fmt: skip

        def rounds(people, make):
            sends = [make(person) for person in people]
            return [sends[i : i + args.clients] for i in range(0, len(sends), args.clients)]

        prepared = {"cast_ballot": rounds(voters, cast), "register": rounds(registrants, register)}
        for key, sends in prepared.items():
            beside = wrk(base + "/bench/minimal/", args.seconds)
            results[key] = burst(sends)
            results[key]["minimal_rps"] = beside["rps"]
            results[key]["ratio"] = round(results[key]["rps"] / beside["rps"], 3)
        print("cast", results["cast_ballot"], "\nregister", results["register"], flush=True)
        results["integrity"] = integrity(
            poll.pk, hearing_page.pk, ballots_before, results["cast_ballot"]["accepted"]
        )
    finally:
        stop(process)
    results["queries"] = queries_per_page(pages, resident)
    server_errors = sum(
        row[who]["non_2xx_3xx"]
        for row in results["pages"].values()
        for who in ("anonymous", "signed_in")
    )
    results["integrity"]["non_2xx_3xx_responses"] = server_errors
    results["meta"] = {
        "label": args.label,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": __import__("wagtail").__version__,
        "postgresql": connection.pg_version if connection.vendor == "postgresql" else None,
        "wrk": f"8 connections, 2 threads, median of {args.repeat} measures of {args.seconds} s per figure",
        "data": {k: v for k, v in summary.items() if k != "sample"},
    }
    out = BASE / "bench/results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (out / f"{stamp}-{args.label}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )
    (out / f"{stamp}-{args.label}.md").write_text(markdown(results))
    print(markdown(results))


def markdown(results):
    meta = results["meta"]
    lines = [
        f"# Benchmark {meta['date']} ({meta['label']})",
        "",
        f"Machine: {meta['machine']}, load average at the end {tuple(round(x, 2) for x in meta['load_average'])}; "
        f"Python {meta['python']}, Django {meta['django']}, Wagtail {meta['wagtail']}, PostgreSQL {meta['postgresql']}; "
        f"gunicorn 2 workers, Redis cache; wrk {meta['wrk']}. Data: {meta['data']}.",
        "",
        f"Minimal Django view: {results['minimal']['rps']} requests/s (after the run: {results['minimal_after']['rps']}); "
        "each ratio is to the minimal view measured right before that page or write; a page's "
        "figure is the median of its measures (the column shows the signed-in one's minimal; "
        "the JSON keeps every ratio tried).",
        "",
        "| page | minimal req/s | anonymous req/s | ratio | p50 / p95 / p99 ms | signed in req/s | ratio | p50 / p95 / p99 ms | queries anon / signed in |",
        "|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for name, row in results["pages"].items():
        a, s = row["anonymous"], row["signed_in"]
        q = results["queries"].get(name, {})
        lines.append(
            f"| {name} | {row.get('minimal_rps', results['minimal']['rps'])} | {a['rps']} | {a['ratio']} | {a['p50_ms']} / {a['p95_ms']} / {a['p99_ms']} "
            f"| {s['rps']} | {s['ratio']} | {s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']} "
            f"| {q.get('anonymous')} / {q.get('signed_in')} |"
        )
    lines += [
        "",
        "| write (burst) | minimal req/s | clients × rounds | req/s | ratio | p50 / p95 / p99 ms | errors | statuses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key in ("cast_ballot", "register"):
        r = results[key]
        lines.append(
            f"| {key} | {r.get('minimal_rps', results['minimal']['rps'])} | {r['clients']} × {r.get('rounds', 1)} | {r['rps']} | {r['ratio']} | {r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} "
            f"| {r['errors']} | {r['statuses']} |"
        )
    lines += [
        "",
        "Integrity after the load: "
        + ", ".join(f"{k} {v}" for k, v in results["integrity"].items()),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
