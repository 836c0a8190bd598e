"""axe-core on every public page type and state, at phone and desktop width, in both languages.

One fixture portal (tests/e2e/portal.py) has every page type in every state; each is opened
in a new page of one browser, in Chinese and English, anonymous or signed in as a resident,
and checked with axe-core (the copy axe-playwright-python bundles) at 360 px and again,
resized, at 1280 px. A serious or critical violation fails the test; so does a moderate or
minor one, since none is left today. The findings are written to `$E2E_ARTIFACTS/axe.json` with a screenshot of each
page that has one.
"""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.portal import build_portal, open_audited_page, resident_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]
VIEWPORTS = [{"width": 360, "height": 780}, {"width": 1280, "height": 900}]
# The rules of WCAG 2.1 A and AA and axe's best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],  # the passes are not reported: faster
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}
RUN_AXE = "options => axe.run(document, options)"


def test_no_page_type_has_an_accessibility_violation(browser, live_server, tree, e2e_artifacts):
    audits = build_portal(tree)
    contexts = {
        signed_in: browser.new_context(viewport=VIEWPORTS[0], locale="zh-CN")
        for signed_in in (False, True)
    }
    contexts[True].add_cookies([resident_cookie(live_server.url)])
    axe_script = Axe().axe_script
    findings = []
    checked = 0
    for language in LANGUAGES:
        for audit in audits:
            # One page per page type and state, checked at each width in turn: the same
            # document laid out again, so the server renders it once.
            page = open_audited_page(contexts[audit.signed_in], live_server.url, audit, language)
            page.evaluate(axe_script)
            for viewport in VIEWPORTS:
                page.set_viewport_size(viewport)
                violations = page.evaluate(RUN_AXE, AXE_OPTIONS)["violations"]
                checked += 1
                width = viewport["width"]
                findings += [
                    {
                        "page": audit.name,
                        "language": language,
                        "width": width,
                        "rule": violation["id"],
                        "impact": violation["impact"],
                        "help": violation["help"],
                        "targets": [node["target"] for node in violation["nodes"]][:5],
                    }
                    for violation in violations
                ]
                if violations:
                    slug = audit.name.replace(" ", "-").replace(",", "")
                    page.screenshot(
                        path=str(e2e_artifacts / f"axe-{slug}-{language}-{width}.png"),
                        full_page=True,
                    )
            page.close()
    for context in contexts.values():
        context.close()
    (e2e_artifacts / "axe.json").write_text(
        json.dumps({"checked": checked, "violations": findings}, ensure_ascii=False, indent=1)
    )
    assert checked == len(audits) * len(LANGUAGES) * len(VIEWPORTS)
    summary = sorted(
        {
            f"{f['impact']}: {f['rule']} on {f['page']} ({f['language']}, {f['width']}px) {f['targets']}"
            for f in findings
        }
    )
    assert not summary, "\n".join(summary)
