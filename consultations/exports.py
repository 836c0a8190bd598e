"""Staff spreadsheets on Wagtail's spreadsheet export, with the portal's rules.

Every export in the portal (lists in the admin, reports, the public poll results) goes
through `SpreadsheetExportMixin` from `wagtail.admin.views.mixins`, the mechanism of
Wagtail's reports and generic index views (`list_export`, `?export=csv|xlsx`, its
"Download XLSX / CSV" buttons). `PortalExportMixin` adds what a clerk handing the file
over needs, for CSV and XLSX alike:

- formula safety: Wagtail only turns a cell openpyxl reads as a formula (one starting
  with "=") back into text, and only in XLSX; here every cell and heading that starts
  with = + - @ (or a tab or carriage return) is prefixed with an apostrophe, in both
  formats (docs/architecture.md, "Integrity rules");
- values in words in the request's language: 是/否 (Yes/No), choices by their labels
  (callers pass `get_…_display`), dates and times in the site's format (portal/formats);
- headings translated when the file is written (lazy `export_headings`);
- named XLSX sheets, several where one export has several tables (`get_export_sheets`);
  CSV carries the first sheet, with a BOM so that spreadsheet programs on Chinese Windows
  read UTF-8.

Class-based admin views (ReportView, modeladmin's IndexView) mix `PortalExportMixin` in;
function views build a `Spreadsheet` for the request, offer its buttons on the list
(`wagtailadmin/shared/export_buttons.html` with `view=spreadsheet`) and return
`spreadsheet.response(...)` when the list is asked for `?export=`.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse, QueryDict
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin
from wagtail.coreutils import multigetattr

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel refuses these in sheet titles and cuts titles at 31 characters.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


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
    if isinstance(value, list | tuple):
        value = "、".join(force_str(v) for v in value)
    text = force_str(value) if isinstance(value, Promise) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def sheet_title(title):
    return SHEET_TITLE_FORBIDDEN.sub(" ", force_str(title))[:31] or "Sheet1"


@dataclass
class Sheet:
    """One table of an export: a title, the columns [(field, heading)] and the items.

    An item is an object or a dict; a field is a dotted path into it, as in Wagtail's
    `list_export`.
    """

    title: object
    columns: list
    items: object = field(default_factory=list)
    # item → {field: value}; by default each field is read from the item by its path.
    row: object = None

    @classmethod
    def from_rows(cls, title, headings, rows):
        """A sheet from headings and rows of values in the same order."""
        columns = [(f"c{i}", heading) for i, heading in enumerate(headings)]
        keys = [key for key, _heading in columns]
        items = (dict(zip(keys, row, strict=True)) for row in rows)
        return cls(title, columns, items)

    @property
    def fields(self):
        return [key for key, _heading in self.columns]


class PortalExportMixin(SpreadsheetExportMixin):
    """Wagtail's spreadsheet export with formula-safe cells, words, local dates and
    named sheets, for CSV and XLSX (see the module's docstring)."""

    # The sheet of a one-table export, e.g. "建议" / "Suggestions".
    export_sheet_title = _("Sheet")
    # safe_cell does what Wagtail's per-type preprocessing did, in words and local dates.
    custom_value_preprocess = {}

    def get_export_sheets(self, queryset):
        columns = [(name, self.get_heading(queryset, name)) for name in self.list_export]
        return [Sheet(self.export_sheet_title, columns, queryset, row=self.to_row_dict)]

    def preprocess_field_value(self, field, value, export_format):
        function = self.custom_field_preprocess.get(field, {}).get(export_format)
        if function is not None:
            value = function(value)
        return safe_cell(value)

    def sheet_row(self, sheet, item):
        if sheet.row is not None:
            return sheet.row(item)
        return {name: multigetattr(item, name) for name in sheet.fields}

    def stream_csv(self, queryset):
        sheet = self.get_export_sheets(queryset)[0]
        writer = csv.DictWriter(Echo(), fieldnames=sheet.fields)
        yield "\ufeff".encode()
        yield writer.writerow({name: safe_cell(heading) for name, heading in sheet.columns})
        for item in sheet.items:
            yield self.write_csv_row(writer, self.sheet_row(sheet, item))

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        for sheet in self.get_export_sheets(queryset):
            worksheet = workbook.create_sheet(title=sheet_title(sheet.title))
            worksheet.append(safe_cell(heading) for _name, heading in sheet.columns)
            for item in sheet.items:
                worksheet.append(self.generate_xlsx_row(worksheet, self.sheet_row(sheet, item)))
        workbook.save(output)

    def write_csv_response(self, queryset):
        # Written before the response leaves the view (not streamed as Wagtail does), so
        # headings and words are in the language the admin activated for this request.
        response = HttpResponse(
            b"".join(self.stream_csv(queryset)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_xlsx_response(self, queryset):
        output = io.BytesIO()
        self.write_xlsx(queryset, output)
        response = HttpResponse(
            output.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.xlsx"'
        return response

    def get_export_url(self, format):
        params = self.request.GET.copy()
        params.pop("p", None)  # the whole list, not the page shown
        params["export"] = format
        return self.request.path + "?" + params.urlencode()


class Spreadsheet(PortalExportMixin):
    """The export of a function view's list: its buttons and its response.

    `Spreadsheet(request, filename)` reads `?export=` like Wagtail's views; the view
    shows `{% include "wagtailadmin/shared/export_buttons.html" with view=spreadsheet %}`
    and, when `spreadsheet.is_export`, returns `spreadsheet.response(sheets)`.
    """

    def __init__(self, request, filename):
        self.request = request
        self.export_filename = filename
        self.export_format = request.GET.get("export")
        self.is_export = self.export_format in self.FORMATS
        self.sheets = []

    def get_export_sheets(self, queryset):
        return self.sheets

    @staticmethod
    def list_request(request, **params):
        """`request` asking a list for its export: an older export address serves the
        list's own export with these query parameters."""
        query = QueryDict(mutable=True)
        query.update(params)
        request.GET = query
        return request

    def response(self, sheets, export_format=None):
        """The attachment: XLSX with every sheet, CSV with the first."""
        self.sheets = list(sheets)
        return self.as_spreadsheet(None, export_format or self.export_format)
