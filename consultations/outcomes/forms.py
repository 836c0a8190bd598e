"""Forms of the outcome capability: the announcement's edit form and the legal review's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.polls.models import PollPage
from consultations.suggestions.models import Suggestion
from home.forms import PortalPageForm
from home.input_guard import IdField, ListingFilterForm, PageNumberField, YearField


class LegalReviewTaskStateForm(forms.Form):
    """The comment is the correction needed when the reviewer sends the outcome back."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False)


class LegalReviewRejectForm(LegalReviewTaskStateForm):
    comment = forms.CharField(
        label=_("Correction needed"),
        widget=forms.Textarea,
        required=True,
        help_text=_("Say what is unlawful and how it must be corrected."),
    )


class OutcomePageForm(PortalPageForm):
    """Offers each decision item only the suggestions and polls of its own consultation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consultation = self.parent_page
        if consultation is None and self.instance.pk:
            consultation = self.instance.get_parent()
        formset = self.formsets.get("decision_items")
        if consultation is None or formset is None:
            return
        scope = _scope_item_form(consultation)
        for form in formset.forms:
            scope(form)
        base = type(formset)
        formset.__class__ = type(
            base.__name__,
            (base,),
            {"empty_form": property(lambda fs: scope(base.empty_form.fget(fs)))},
        )


def _scope_item_form(consultation):
    suggestions = (
        Suggestion.objects.filter(page__path__startswith=consultation.path)
        .exclude(status=Suggestion.Status.REJECTED)
        .order_by("pk")
    )
    polls = PollPage.objects.child_of(consultation).order_by("path")

    def scope(form):
        if "suggestions" in form.fields:
            field = form.fields["suggestions"]
            field.queryset = suggestions
            field.label_from_instance = _suggestion_label
        if "informed_by_poll" in form.fields:
            form.fields["informed_by_poll"].queryset = polls
        return form

    return scope


def _suggestion_label(suggestion):
    data = suggestion.get_data() if hasattr(suggestion, "get_data") else {}
    text = next((str(v) for k, v in data.items() if isinstance(v, str) and len(v) > 10), "")
    return f"#{suggestion.pk} {text[:60]}"


class TrackerFilterForm(ListingFilterForm):
    """The implementation tracker's filters (`/implementation/?community=&category=&…`).

    Built per request with the choices the visitor may use; a value outside them, or a
    year out of range, is left out (`ListingFilterForm`).
    """

    community = IdField(label=_("Community"))
    category = forms.SlugField(label=_("Category"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = YearField(label=_("Year"))
    page = PageNumberField()

    def __init__(self, data, *, status_choices):
        super().__init__(data)
        self.fields["status"].choices = [("", ""), *status_choices]
