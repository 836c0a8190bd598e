"""The notification preferences form: one choice per event, and the channels."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.notifications.models import Delivery, Event


class PreferencesForm(forms.Form):
    by_mail = forms.BooleanField(
        label=_("By mail"),
        required=False,
        help_text=_("Needs an email address on your account."),
    )
    by_sms = forms.BooleanField(
        label=_("By text message"),
        required=False,
        help_text=_(
            "Needs a verified mobile number. At most one short text a day, never between "
            "21:00 and 08:00."
        ),
    )

    def __init__(self, *args, preference, **kwargs):
        initial = {"by_mail": preference.by_mail, "by_sms": preference.by_sms}
        initial.update({f"event_{event}": preference.delivery(event) for event in Event.values})
        super().__init__(*args, initial=initial, **kwargs)
        for event in Event:
            self.fields[f"event_{event.value}"] = forms.ChoiceField(
                label=event.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
            )

    def event_fields(self):
        return [self[f"event_{event}"] for event in Event.values]

    def events(self):
        return {event: self.cleaned_data[f"event_{event}"] for event in Event.values}
