"""A poll's aggregated results, turnout and breakdown as spreadsheets
(consultations/exports.py). Never ballots: only the figures the results page shows, under
the same rule (docs/secrecy.md)."""

from django.utils.translation import gettext_lazy as _

from consultations.exports import Sheet


def _cell(value):
    return "" if value is None else value


def results_sheet(results):
    """One row per option of each question: online, paper and combined votes."""
    columns = [
        ("question", _("Question")),
        ("option", _("Option")),
        ("online", _("Online votes")),
        ("online_percent", _("Online %")),
        ("paper", _("Paper votes")),
        ("combined", _("Combined votes")),
        ("combined_percent", _("Combined %")),
    ]
    rows = [
        {
            "question": question["text"],
            "option": option["label"],
            "online": _cell(option["online"]),
            "online_percent": _cell(option["online_percent"]),
            "paper": _cell(option["paper"]),
            "combined": option["combined"],
            "combined_percent": option["combined_percent"],
        }
        for question in results["questions"]
        for option in question["options"]
    ]
    return Sheet(_("Results"), columns, rows)


def turnout_sheet(results, turnout_by_day):
    """Voters per day online, then the totals: online, paper, combined, eligible."""
    columns = [
        ("day", _("Day")),
        ("voters", _("Voters")),
        ("cumulative", _("Cumulative")),
    ]
    rows = [
        {"day": day["voted_on"], "voters": day["voters"], "cumulative": day["cumulative"]}
        for day in turnout_by_day
    ]
    rows += [
        {"day": _("Voters online"), "voters": results["voters_online"], "cumulative": ""},
        {"day": _("Paper ballots"), "voters": results["voters_paper"], "cumulative": ""},
        {"day": _("Voters in all"), "voters": results["voters_total"], "cumulative": ""},
    ]
    if results["eligible"]:
        rows += [
            {"day": _("Eligible voters"), "voters": results["eligible"], "cumulative": ""},
            {
                "day": _("Turnout online %"),
                "voters": results["turnout_percent"],
                "cumulative": "",
            },
        ]
    return Sheet(_("Turnout"), columns, rows)


def breakdown_sheet(results):
    """Online votes by community, where the results show them (large groups only)."""
    columns = [
        ("community", _("Community")),
        ("voters", _("Voters")),
        ("question", _("Question")),
        ("option", _("Option")),
        ("votes", _("Votes")),
        ("percent", "%"),
    ]
    rows = [
        {
            "community": group["community"],
            "voters": group["voters"],
            "question": question["text"],
            "option": option["label"],
            "votes": option["online"],
            "percent": option["online_percent"],
        }
        for group in results["breakdown"]
        for question in group["questions"]
        for option in question["options"]
    ]
    return Sheet(_("By community"), columns, rows)


def poll_sheets(results, turnout_by_day):
    sheets = [results_sheet(results), turnout_sheet(results, turnout_by_day)]
    if results["breakdown"]:
        sheets.append(breakdown_sheet(results))
    return sheets
