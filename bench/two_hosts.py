"""Two gunicorn processes behind haproxy share sessions, rate limits and the page cache.

    DATABASE_URL=postgres://…/portal_bench REDIS_URL=redis://127.0.0.1:6379/15 \\
        .venv/bin/python bench/two_hosts.py [--ports 8017,8018,8019]

Needs a migrated database with the demo loaded (`make bench` leaves one), Redis, and
Debian's haproxy. Starts host A and host B (one gunicorn each, `bench.settings`) and haproxy
in front (round robin), then checks, and prints PASS or FAIL for each:

1. both hosts answer through the load balancer;
2. a resident signed in on A is signed in on B (sessions in the shared database);
3. failed sign-ins counted on A and B together hit one rate limit (allauth, in Redis);
4. a page cached by A is served by B from the same cache, and a publish made elsewhere
   (this process, like an editor on a third host) is fresh on B at once.

Exits with status 1 if a check fails.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("TASKS_BACKEND", "immediate")

import django  # noqa: E402

django.setup()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESIDENT = ("resident1@example.com", "Demo-resident-2026")
FAILURES = []


def check(label, ok, detail=""):
    print(f"{'PASS' if ok else 'FAIL'}  {label}{'  — ' + detail if detail else ''}", flush=True)
    if not ok:
        FAILURES.append(label)


def request(port, method, path, cookies=None, form=None):
    """One request; returns (status, headers dict, body, cookies set)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    set_cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            set_cookies[key] = rest.split(";", 1)[0]
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text, set_cookies


def sign_in(port, email, password):
    status, _h, html, cookies = request(port, "GET", "/en/accounts/login/")
    token = CSRF.search(html).group(1)
    status, _h, html, set_cookies = request(
        port, "POST", "/en/accounts/login/", cookies,
        {"csrfmiddlewaretoken": token, "login": email, "password": password},
    )  # fmt: skip
    cookies.update(set_cookies)
    return status, html, cookies


def start(ports):
    env = dict(os.environ, DEBUG="0", PORTAL_PAGE_CACHE_SECONDS="30")
    processes = []
    for port in ports[:2]:
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own command line
                [
                    str(BASE / ".venv/bin/gunicorn"),
                    "-w",
                    "1",
                    "-b",
                    f"127.0.0.1:{port}",
                    "--error-logfile",
                    "-",
                    "--log-level",
                    "warning",
                    "portal.wsgi",
                ],
                cwd=BASE,
                env=env,
                start_new_session=True,
            )  # fmt: skip
        )
    config = Path(tempfile.mkdtemp(prefix="two-hosts-")) / "haproxy.cfg"
    config.write_text(
        "defaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n"
        f"frontend portal\n  bind 127.0.0.1:{ports[2]}\n  default_backend hosts\n"
        "backend hosts\n  balance roundrobin\n"
        "  http-response set-header X-Backend %[srv_name]\n"
        f"  server a 127.0.0.1:{ports[0]}\n  server b 127.0.0.1:{ports[1]}\n"
    )
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    processes.append(
        subprocess.Popen([haproxy, "-f", str(config), "-db"], start_new_session=True)  # noqa: S603
    )
    for port in ports:
        for _ in range(100):
            try:
                if request(port, "GET", "/bench/minimal/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            sys.exit(f"nothing answers on port {port}")
    return processes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", default="8017,8018,8019")
    args = parser.parse_args()
    a, b, lb = (int(p) for p in args.ports.split(","))
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        sys.exit("haproxy is missing: apt-get install -y haproxy")
    processes = start([a, b, lb])
    try:
        backends = {request(lb, "GET", "/bench/minimal/")[1].get("x-backend") for _ in range(4)}
        check(
            "the load balancer sends requests to both hosts", backends == {"a", "b"}, str(backends)
        )

        status, _html, cookies = sign_in(a, *RESIDENT)
        _s, _h, page_b, _c = request(b, "GET", "/en/", cookies)
        check(
            "a resident signed in on host A is signed in on host B",
            status == 302 and "Sign out" in page_b,
        )

        limited = False
        for attempt in range(7):
            port = (a, b)[attempt % 2]
            _s, html, _c = sign_in(port, "nobody-bench@example.com", f"wrong-{attempt}")
            if "Too many failed login attempts" in html:
                limited = attempt
                break
        check(
            "failed sign-ins on hosts A and B count against one rate limit",
            limited is not False and limited <= 5,
            f"refused at attempt {limited + 1 if limited is not False else 'never'}",
        )

        from consultations.models import ConsultationPage

        consultation = ConsultationPage.objects.live().order_by("pk").first()
        community_url = "/en" + consultation.get_parent().url
        request(a, "GET", community_url)
        _s, headers, _t, _c = request(b, "GET", community_url)
        check(
            "a page cached by host A is served by host B from the shared cache",
            headers.get("x-page-cache") == "hit",
            headers.get("x-page-cache", "not cached"),
        )
        old_title = consultation.title
        consultation.title = f"{old_title}（已更新 {int(time.time())}）"
        consultation.save_revision().publish()
        try:
            _s, headers, html, _c = request(b, "GET", community_url)
            check(
                "a publish made elsewhere is fresh on host B at once",
                consultation.title in html and headers.get("x-page-cache") == "miss",
            )
        finally:
            consultation.title = old_title
            consultation.save_revision().publish()
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=20)
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
