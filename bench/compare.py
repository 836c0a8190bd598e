"""Compare two load runs of `make bench` (`make bench-scales`: 1/20 and full scale).

    .venv/bin/python bench/compare.py [SMALL.json LARGE.json]

Without arguments, the newest `bench/results/*-scale-0.05.json` and `*-scale-1.json`.
Each figure (anonymous and signed-in pages, the two writes) is a ratio to the minimal view
measured beside it; the issue's rule is that each is the same at both scales within 20%:
|large / small - 1| <= 0.2. Prints a markdown table and writes it to
`bench/results/<date>-scales.md`.
"""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
TOLERANCE = 0.2


def newest(label):
    runs = sorted(RESULTS.glob(f"[0-9]*-{label}.json"))  # not generate-*.json
    if not runs:
        sys.exit(f"no bench/results/*-{label}.json: run make bench BENCH_SCALE=… first")
    return runs[-1]


def figures(results):
    out = {}
    for page, row in results["pages"].items():
        for who in ("anonymous", "signed_in"):
            out[f"{page} ({who.replace('_', ' ')})"] = row[who]["ratio"]
    for write in ("cast_ballot", "register"):
        out[write] = results[write]["ratio"]
    return out


def compare(small_path, large_path):
    small, large = (json.loads(Path(p).read_text()) for p in (small_path, large_path))
    a, b = figures(small), figures(large)
    lines = [
        f"# Small and large scale ({datetime.now(UTC).date()})",
        "",
        f"Small: `{Path(small_path).name}` ({small['meta']['data']['consultations']} "
        f"consultations, {small['meta']['data']['ballots']} ballots); large: "
        f"`{Path(large_path).name}` ({large['meta']['data']['consultations']} consultations, "
        f"{large['meta']['data']['ballots']} ballots). Each figure is a ratio to the minimal "
        f"view measured beside it; the rule: equal within {TOLERANCE:.0%}.",
        "",
        "| figure | small | large | large / small | within 20% |",
        "|---|---|---|---|---|",
    ]
    failed = []
    for name in a:
        if name not in b or not a[name]:
            continue
        change = b[name] / a[name]
        ok = abs(change - 1) <= TOLERANCE
        if not ok:
            failed.append(name)
        lines.append(
            f"| {name} | {a[name]} | {b[name]} | {change:.2f} | {'yes' if ok else '**no**'} |"
        )
    lines += ["", f"{len(a) - len(failed)} of {len(a)} figures within {TOLERANCE:.0%}.", ""]
    text = "\n".join(lines)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    (RESULTS / f"{stamp}-scales.md").write_text(text)
    print(text)
    return failed


if __name__ == "__main__":
    paths = sys.argv[1:3] or [newest("scale-0.05"), newest("scale-1")]
    compare(*paths)
