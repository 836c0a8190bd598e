"""The ledger and the compliance report as spreadsheets, with the columns an inspection
expects (consultations/exports.py: formula-safe cells, headings and words in the staff
member's language, named sheets). Catalogue names (categories, formats) are as entered."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from consultations.exports import Sheet
from consultations.ledger.checklist import (
    CHECKLIST_STEPS,
    STATE_LABELS,
    STEP_LABELS,
    entry_checklist,
)


def ledger_sheet(entries, today):
    headers = [
        _("Date"),
        _("Until"),
        _("Community"),
        _("Township or street"),
        _("Communities counted"),
        _("Topic"),
        _("Topic category"),
        _("Consultation format"),
        _("Organiser"),
        _("Participant groups"),
        _("Number of participants"),
        _("Participants (computed)"),
        _("Participants (corrected)"),
        _("Attended the hearing"),
        _("Ballots cast online"),
        _("Assisted ballots"),
        _("Paper ballots"),
        _("Suggestions received"),
        _("Suggestions answered"),
        _("Outcome"),
        pgettext("ledger entry", "Source"),
    ] + [str(STEP_LABELS[key]) for key in CHECKLIST_STEPS]

    def rows():
        for entry in entries:
            states = {item["key"]: item["state"] for item in entry_checklist(entry, today)}
            yield [
                entry.held_on,
                entry.held_until,
                entry.community.title if entry.community else "",
                entry.area.title if entry.area else "",
                "、".join(c.title for c in entry.communities.all()),
                entry.topic,
                entry.category.label,
                entry.format.label,
                entry.organiser,
                "、".join(g.label for g in entry.participant_groups.all()),
                entry.participants,
                entry.participants_computed if entry.is_generated else "",
                entry.participants_recorded if entry.is_corrected else "",
                entry.hearing_attended,
                entry.ballots_online,
                entry.ballots_assisted,
                entry.ballots_paper,
                entry.suggestions,
                entry.suggestions_answered,
                entry.outcome.title if entry.outcome else entry.outcome_summary,
                entry.get_source_display(),
            ] + [str(STATE_LABELS[states[key]]) if key in states else "" for key in CHECKLIST_STEPS]

    return Sheet.from_rows(_("Ledger"), headers, rows())


def community_sheet(report):
    headers = [
        _("Township or street"),
        _("Community"),
        _("Activities"),
        _("Required"),
        _("Below the requirement"),
        _("Months left"),
        _("Number of participants"),
        _("Categories covered"),
        _("Consultations on the portal"),
        _("Overdue disclosures"),
    ] + [str(STEP_LABELS[key]) for key in CHECKLIST_STEPS]
    rows = (
        [
            row.township.title if row.township else "",
            row.community.title,
            row.activities,
            row.required,
            row.below_requirement,
            row.months_left,
            row.participants,
            "、".join(row.categories),
            row.consultations,
            row.overdue_disclosures,
        ]
        + [row.steps_met[key] for key in CHECKLIST_STEPS]
        for row in report.rows
    )
    return Sheet.from_rows(_("Communities"), headers, rows)


def township_sheet(report):
    headers = [
        _("Township or street"),
        _("Communities"),
        _("Below the requirement"),
        _("Activities"),
        _("Number of participants"),
        _("Overdue disclosures"),
    ]
    rows = [
        [
            t["township"].title,
            t["communities"],
            t["below"],
            t["activities"],
            t["participants"],
            t["overdue_disclosures"],
        ]
        for t in report.townships
    ]
    total = report.total
    rows.append(
        [
            _("Total"),
            total["communities"],
            total["below"],
            total["activities"],
            total["participants"],
            total["overdue_disclosures"],
        ]
    )
    return Sheet.from_rows(_("Townships"), headers, rows)


def compliance_sheets(report):
    """Communities, townships and the ledger of the year; CSV carries the communities."""
    return [
        community_sheet(report),
        township_sheet(report),
        ledger_sheet(report.entries, report.today),
    ]
