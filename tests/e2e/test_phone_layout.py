"""On a 360 px phone no page type scrolls sideways and no text runs out of its card.

Every page type and state of the fixture portal (tests/e2e/portal.py), in Chinese and
English, is opened in a new page of one browser at 360 px: the document must be no wider
than the window, and no card-like box (the classes below, from static/css) may be wider
inside than it is. Screenshots of the pages that fail go to `$E2E_ARTIFACTS`.
"""

import json

import pytest

from tests.e2e.portal import build_portal, open_audited_page, resident_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "en"]
PHONE = {"width": 360, "height": 780}
# The boxes with a border that text must stay inside (portal.css and the capabilities' css).
CARDS = ".card, .decision-item, .poll-question, .poll-review, .now, .message, .empty-state"

# The page's width against the window's, and each card's content width against its own.
MEASURE = """cards => ({
  page: [document.documentElement.scrollWidth, window.innerWidth],
  cards: [...document.querySelectorAll(cards)]
    .filter(card => card.scrollWidth > card.clientWidth)
    .map(card => (card.className + ": " + card.textContent.trim().slice(0, 40)
                  + " (" + card.scrollWidth + " > " + card.clientWidth + ")")),
  // The elements that reach past the window's right edge, for the failure message.
  beyond: [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                  && ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
    .slice(0, 3)
    .map(el => "<" + el.tagName.toLowerCase() + " class='" + el.className + "'> "
               + el.textContent.trim().slice(0, 40) + " reaches "
               + Math.round(el.getBoundingClientRect().right) + " px"),
  bars: [...document.querySelectorAll(".poll-bars .bar")]
    .filter(bar => bar.getBoundingClientRect().width < 48)
    .map(bar => "result bar " + Math.round(bar.getBoundingClientRect().width) + " px wide"),
})"""


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, tree, e2e_artifacts):
    audits = build_portal(tree)
    contexts = {
        signed_in: browser.new_context(viewport=PHONE, locale="zh-CN")
        for signed_in in (False, True)
    }
    contexts[True].add_cookies([resident_cookie(live_server.url)])
    problems = []
    checked = 0
    for language in LANGUAGES:
        for audit in audits:
            page = open_audited_page(contexts[audit.signed_in], live_server.url, audit, language)
            found = page.evaluate(MEASURE, CARDS)
            checked += 1
            scroll_width, inner_width = found["page"]
            where = f"{audit.name} ({language})"
            page_problems = found["cards"] + found["bars"]
            if scroll_width > inner_width:
                page_problems.append(f"the page is {scroll_width} px wide in {inner_width} px")
                page_problems += found["beyond"]
            if page_problems:
                problems += [f"{where}: {problem}" for problem in page_problems]
                slug = audit.name.replace(" ", "-").replace(",", "")
                page.screenshot(
                    path=str(e2e_artifacts / f"phone-{slug}-{language}.png"), full_page=True
                )
            page.close()
    for context in contexts.values():
        context.close()
    (e2e_artifacts / "phone_layout.json").write_text(
        json.dumps({"checked": checked, "problems": problems}, ensure_ascii=False, indent=1)
    )
    assert checked == len(audits) * len(LANGUAGES)
    assert not problems, "\n".join(problems)
