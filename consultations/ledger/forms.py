"""Admin forms of the ledger: a manual entry, and the correction of a generated one."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from consultations.permissions import ledger_areas_for, ledger_communities_for


class LedgerEntryForm(WagtailAdminModelForm):
    """Offers only the communities and areas whose ledger the user keeps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name in ("community", "communities"):
            if name in self.fields:
                self.fields[name].queryset = ledger_communities_for(user).order_by("path")
        if "area" in self.fields:
            self.fields["area"].queryset = ledger_areas_for(user).order_by("path")
        if "communities" in self.fields:
            self.fields["communities"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["communities"].choices
            )

    def clean(self):
        cleaned = super().clean()
        held_on, held_until = cleaned.get("held_on"), cleaned.get("held_until")
        if held_on and held_until and held_until < held_on:
            self.add_error("held_until", _("An activity cannot end before it starts."))
        if "community" in self.fields and not cleaned.get("community"):
            if not cleaned.get("area") or not cleaned.get("communities"):
                self.add_error(
                    "community",
                    _("Choose the community, or the township and the communities it covers."),
                )
        return cleaned


class CorrectionForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("participants_recorded") is not None
            and not (cleaned.get("correction_note") or "").strip()
        ):
            self.add_error("correction_note", _("Say why the figure is corrected."))
        return cleaned
