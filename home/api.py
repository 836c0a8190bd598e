"""Wagtail API v2 pieces that answer hostile parameters with 400, never 500.

Wagtail's field filters convert integers and booleans but hand a date, a number past
the database's range or any other field's text straight to the query, and its
pagination accepts any offset; both then fail in the database. Every portal endpoint
(portal/api.py, consultations/ledger/api.py) uses these instead.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

from home.input_guard import MAX_ID

# An offset past this is refused: the database compares offsets as 64-bit integers.
MAX_OFFSET = 10**9


class BoundedFieldsFilter(FieldsFilter):
    """`?<field>=<value>`: a value the field cannot hold is a 400 with a message."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            if name not in fields or name == "locale":
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except LookupError:
                continue
            if isinstance(field, models.ForeignKey):
                field = field.target_field
            if not isinstance(field, models.Field) or isinstance(field, models.BooleanField):
                continue  # Wagtail's own parsing (booleans, tags) applies
            try:
                python = field.to_python(value)
            except (ValidationError, ValueError, OverflowError) as error:
                raise BadRequestError(
                    f"field filter error. {value!r} is not a valid value for {name}"
                ) from error
            if isinstance(python, int) and not -MAX_ID - 1 <= python <= MAX_ID:
                raise BadRequestError(f"field filter error. {name} is out of range")
        return super().filter_queryset(request, queryset, view)


class BoundedPagination(WagtailPagination):
    """Wagtail's `offset`/`limit` pagination, with an upper bound on the offset (400)."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0").strip()
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


def bounded_filters(filter_backends):
    """A viewset's filter backends with Wagtail's FieldsFilter replaced by the bounded one."""
    return [
        BoundedFieldsFilter if backend is FieldsFilter else backend for backend in filter_backends
    ]
