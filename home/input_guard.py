"""One layer that keeps hostile input away from views and the database.

Whatever arrives in an address is refused before any view runs if it cannot be text a
person typed: a NUL byte (PostgreSQL refuses it in any string, so a lookup with it would
fail with a 500), a lone surrogate (not encodable, so not storable) or another control
character. `HostileInputMiddleware` answers such a request with 400 and the site's
friendly error page, in the reader's language. Form fields are checked the same way for
NUL bytes and lone surrogates (Django's form fields refuse NUL, but not every view reads
its POST through a form).

Path converters (`code`, `id`, `year`) make address patterns refuse what no record can
have, so `/hearings/registrations/<code>/` or `record/<year>/` never reach a query with a
value the database cannot compare (a 404 instead). They are registered when this module
is imported, by home/apps.py, before any model or hook compiles a pattern.

Listing filters read their GET parameters through `ListingFilterForm` (below): bounded
fields, and a value that does not fit is dropped with a message instead of an error.
"""

import re

from django import forms
from django.urls import register_converter

# Control characters no one types into an address: C0 (tab, line feed and carriage return
# are tolerated in values, where a pasted search may carry them), DEL, and lone surrogates.
_PATH_UNSAFE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_VALUE_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# In a form's fields only what cannot be stored at all: text pasted from a word processor
# may bring other control characters, which the form's own validation deals with.
_FORM_UNSAFE = re.compile(r"[\x00\ud800-\udfff]")

# Years that filters and addresses accept: wide enough for any record, narrow enough
# that date arithmetic (datetime's years 1–9999) never overflows.
MIN_YEAR = 1900
MAX_YEAR = 2999
# The largest id an address may carry: a 64-bit signed integer, PostgreSQL's bigint.
MAX_ID = 2**63 - 1


def unsafe_parameter(querydict, pattern=_VALUE_UNSAFE):
    """The first parameter name of `querydict` whose name or a value `pattern` matches."""
    for name, values in querydict.lists():
        if pattern.search(name) or any(pattern.search(value) for value in values):
            return name
    return None


def unsafe_part(request):
    """Why `request` carries input no person could have typed, or None."""
    if _PATH_UNSAFE.search(request.path_info):
        return "path"
    if unsafe_parameter(request.GET) is not None:
        return "query"
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        if unsafe_parameter(request.POST, _FORM_UNSAFE) is not None:
            return "form"
    return None


class HostileInputMiddleware:
    """Answer 400 to an address or form carrying characters no person types.

    Placed after the authentication and message middleware, so the error page can show
    the usual header, and before everything that looks anything up by path (Wagtail's
    redirects, the page cache, the views).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if unsafe_part(request) is not None:
            from home.views import bad_request

            return bad_request(request)
        return self.get_response(request)


# --- path converters --------------------------------------------------------------------


class CodeConverter:
    """A code people read from paper (registration codes): letters, digits and dashes."""

    regex = r"[0-9A-Za-z-]{1,32}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class IdConverter:
    """A record id: a positive integer that fits the database's bigint."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # the pattern does not match: a 404
        return number

    def to_url(self, value):
        return str(value)


class YearConverter:
    """A year within MIN_YEAR..MAX_YEAR."""

    regex = r"[0-9]{4}"

    def to_python(self, value):
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(value)
        return year

    def to_url(self, value):
        return str(value)


register_converter(CodeConverter, "code")
register_converter(IdConverter, "id")
register_converter(YearConverter, "year")


# --- listing filters --------------------------------------------------------------------


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class IdField(forms.IntegerField):
    """A record's id chosen in a filter: positive, within the database's bigint."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class PageNumberField(forms.IntegerField):
    """A page of a paginated list: 1 or more (Django's paginator clamps the top)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ListingFilterForm(forms.Form):
    """The GET parameters of a listing, each bounded; what does not fit is ignored.

    A listing must answer whatever is in its address: `filters` gives the valid values
    (an unknown or out-of-range value is left out, as if not given), and `ignored` the
    parameters that were left out, so the page can say so ("Some filter values were not
    recognised and have been ignored.").
    """

    @property
    def filters(self):
        errors = self.errors  # cleans the form once
        return {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in errors and self.cleaned_data.get(name) not in (None, "")
        }

    @property
    def ignored(self):
        """Names of the parameters that were given but left out."""
        return list(self.errors)


class BoundedModelChoiceField(forms.ModelChoiceField):
    """Django's ModelChoiceField, refusing an id no row can have before asking the database.

    Django compares a related key with a number past the database's integer range in the
    query itself, which fails (SQLite: OverflowError, PostgreSQL: out of range): a 500
    for a hostile form. Such a value is an invalid choice, like any unknown id.
    """

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text.lstrip("+-").isdigit() and not 0 <= int(text) <= MAX_ID:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)
