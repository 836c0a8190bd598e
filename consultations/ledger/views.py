"""Public views of the ledger: a community's consultation record, its feed and JSON.

They are served by routes on the community page (`CommunityPage.record_*`), so Wagtail's
page privacy applies to them as to the page.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _

from consultations.ledger import record


def _year(year, today):
    if year is None:
        return today.year
    if year < 2000 or year > today.year + 1:
        raise Http404
    return year


def record_page(page, request, year=None):
    today = timezone.localdate()
    year = _year(year, today)
    entries = record.public_entries(page, year, today)
    return TemplateResponse(
        request,
        "consultations/ledger/public_record.html",
        {
            "page": page,
            "self": page,
            "year": year,
            "years": record.record_years(page, today),
            "entries": entries,
            "summary": record.record_summary(entries),
            "record_base": page.url + page.reverse_subpage("record"),
        },
    )


def record_feed(page, request):
    today = timezone.localdate()
    entries = record.public_entries(page, today.year, today)
    feed = feedgenerator.Rss201rev2Feed(
        title=_("Consultation record: %(community)s") % {"community": page.title},
        link=page.get_full_url(request) + page.reverse_subpage("record"),
        description=_("The consultation activities of %(community)s this year.")
        % {"community": page.title},
        language=request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "zh-hans",
    )
    for entry in reversed(entries):
        link = (
            entry.consultation.get_full_url(request)
            if entry.consultation
            else feed.feed["link"] + f"#entry-{entry.pk}"
        )
        feed.add_item(
            title=f"{entry.held_on:%Y-%m-%d} {entry.topic}",
            link=link,
            description=_("%(category)s · %(format)s · %(participants)d participants")
            % {
                "category": entry.category.label,
                "format": entry.format.label,
                "participants": entry.participants,
            },
            unique_id=f"ledger-entry-{entry.pk}",
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def record_json(page, request, year=None):
    today = timezone.localdate()
    year = _year(year, today)
    entries = record.public_entries(page, year, today)
    return JsonResponse(
        {
            "community": page.title,
            "year": year,
            **record.record_summary(entries),
            "entries": [record.entry_as_json(entry, request) for entry in entries],
        },
        json_dumps_params={"ensure_ascii": False},
    )
