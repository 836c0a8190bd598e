"""Spreadsheet exports for staff: CSV and XLSX, safe against formula injection.

A cell that starts with = + - @ (or a tab or carriage return) would be run as a formula
by spreadsheet programs; such cells are prefixed with an apostrophe (docs/architecture.md, "Integrity rules").
Every export in the portal goes through `export_response`.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext
from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    """A value as a clerk reads it, neutralised for a spreadsheet cell.

    Numbers pass unchanged; booleans become 是/否 (Yes/No), dates and times the site's
    date format, both in the current language (the exports run in the staff member's).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int | float):
        return value
    if hasattr(value, "isoformat"):
        if getattr(value, "tzinfo", None) is not None:
            value = timezone.localtime(value)
        # The site's date format in the current language (portal/formats).
        return formats.date_format(
            value, "DATETIME_FORMAT" if hasattr(value, "hour") else "DATE_FORMAT"
        )
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def export_response(filename, headers, rows, file_format="csv"):
    """An attachment response with `headers` and `rows` in CSV (UTF-8 with BOM) or XLSX.

    `filename` has no extension; `rows` is any iterable of sequences.
    """
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {file_format!r}")
    safe_rows = ([safe_cell(value) for value in row] for row in rows)
    if file_format == "csv":
        buffer = io.StringIO()
        # The BOM lets spreadsheet programs on Chinese Windows read UTF-8 correctly.
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(h) for h in headers])
        writer.writerows(safe_rows)
        content = buffer.getvalue().encode("utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([safe_cell(h) for h in headers])
        for row in safe_rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def workbook_response(filename, sheets, file_format="xlsx"):
    """Several named sheets, [(title, headers, rows)], as XLSX; CSV carries the first.

    Sheet titles are cut to Excel's 31 characters.
    """
    if file_format == "csv" or not sheets:
        title, headers, rows = sheets[0] if sheets else ("", [], [])
        return export_response(filename, headers, rows, "csv")
    if file_format != "xlsx":
        raise ValueError(f"Unknown export format {file_format!r}")
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([safe_cell(h) for h in headers])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
