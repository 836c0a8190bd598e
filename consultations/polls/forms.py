"""Forms for voting (residents and assisted voting) and for staff records."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from consultations.models import CommunityPage
from consultations.polls.models import Eligibility
from consultations.roster.models import RosterPerson

from .operations import (
    MAX_BATCH_SIZE,
    PollError,
    find_code,
    scope_community_ids,
    validate_choices,
)


def question_field_name(question):
    return f"q_{question['id']}"


class BallotForm(forms.Form):
    """One field per question (radio buttons or checkboxes), plus the code if the poll needs one."""

    def __init__(self, poll, *args, with_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.with_code = poll.eligibility == Eligibility.CODES if with_code is None else with_code
        if self.with_code:
            self.fields["code"] = forms.CharField(
                label=_("Voting code"),
                max_length=30,
                help_text=_("The code printed on your voting slip."),
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "autocapitalize": "characters"}
                ),
            )
        for question in poll.question_list:
            choices = [(o["id"], o["label"]) for o in question["options"]]
            if question["multiple"]:
                field = forms.MultipleChoiceField(
                    label=question["text"],
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose between %(min)s and %(max)s options.")
                    % {"min": question["min_choices"], "max": question["max_choices"]},
                )
            else:
                field = forms.ChoiceField(
                    label=question["text"], choices=choices, widget=forms.RadioSelect
                )
            field.question = question
            self.fields[question_field_name(question)] = field

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith("q_")]

    def clean_code(self):
        try:
            return find_code(self.poll, self.cleaned_data["code"]).code
        except PollError as error:
            raise forms.ValidationError(error.message)

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            question = getattr(field, "question", None)
            if question and question["multiple"] and name in cleaned:
                count = len(cleaned[name])
                if not question["min_choices"] <= count <= question["max_choices"]:
                    self.add_error(name, field.help_text)
        if not self.errors:
            try:
                validate_choices(self.poll, self.choices())
            except PollError as error:
                raise forms.ValidationError(error.message)
        return cleaned

    def choices(self):
        chosen = []
        for name, field in self.fields.items():
            if getattr(field, "question", None) is None:
                continue
            value = self.cleaned_data.get(name)
            chosen.extend(value if isinstance(value, list) else [value] if value else [])
        return chosen

    def hidden_pairs(self):
        """(name, value) pairs that carry the reviewed choices into the cast step."""
        pairs = [("code", self.cleaned_data["code"])] if self.with_code else []
        for name, field in self.fields.items():
            if getattr(field, "question", None) is None:
                continue
            value = self.cleaned_data.get(name)
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, item))
        return pairs

    @classmethod
    def initial_from(cls, data):
        """Initial values from a posted form, to let the voter change their choices."""
        return {
            name: data.getlist(name) if len(data.getlist(name)) > 1 else data.get(name)
            for name in data
            if name.startswith(("q_", "code"))
        }

    def review(self):
        """(question, [option labels]) pairs for the review step."""
        chosen = set(self.choices())
        return [
            (q["text"], [o["label"] for o in q["options"] if o["id"] in chosen])
            for q in self.poll.question_list
        ]


class AssistedBallotForm(BallotForm):
    """Staff record a ballot for a resident at the community office."""

    resident_email = forms.EmailField(
        label=_("Resident's email address"),
        required=False,
        help_text=_("For a resident with an account. Leave empty when the resident has a code."),
    )
    confirm = forms.BooleanField(
        label=_("The resident has checked these choices and asked me to cast the ballot."),
    )

    def __init__(self, poll, *args, **kwargs):
        super().__init__(poll, *args, **kwargs)
        if not self.with_code:
            self.fields["resident_email"].required = True
        else:
            del self.fields["resident_email"]
        self.order_fields(["resident_email", "code"])

    def clean_resident_email(self):
        email = self.cleaned_data["resident_email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No resident has this email address."))
        self.resident = user
        return email


class CodeBatchForm(forms.Form):
    size = forms.IntegerField(
        label=_("Number of codes"), min_value=1, max_value=MAX_BATCH_SIZE, initial=50
    )
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        required=False,
        help_text=_("For example the building or villager group that receives the codes."),
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=CommunityPage.objects.none(), required=False
    )
    distributed_to = forms.CharField(
        label=_("Distributed by"),
        max_length=200,
        help_text=_(
            "Who hands the slips out to residents (recorded with the batch), e.g. the "
            "leader of villager group 3."
        ),
    )

    def __init__(self, poll, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consultation = poll.consultation
        self.fields["community"].queryset = (
            consultation.scope_communities() if consultation else CommunityPage.objects.none()
        )


class VoidCodesForm(forms.Form):
    codes = forms.CharField(
        label=_("Codes to void"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text=_(
            "Slips that were never handed out or were given back, one code a line. A "
            "voided code can no longer vote."
        ),
    )

    def code_list(self):
        return self.cleaned_data["codes"].split()


class PaperTallyForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    voters = forms.IntegerField(label=_("Paper ballots cast"), min_value=0)
    minutes = forms.FileField(
        label=_("Scan of the minutes"),
        required=False,
        help_text=_("PDF or image of the signed minutes of the meeting."),
    )

    def __init__(self, poll, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        for question in poll.question_list:
            for option in question["options"]:
                self.fields[f"o_{option['id']}"] = forms.IntegerField(
                    label=f"{question['text']} — {option['label']}",
                    min_value=0,
                    initial=0,
                )

    def clean(self):
        cleaned = super().clean()
        voters = cleaned.get("voters")
        if voters is None:
            return cleaned
        for question in self.poll.question_list:
            total = sum(cleaned.get(f"o_{o['id']}") or 0 for o in question["options"])
            limit = voters * (question["max_choices"] if question["multiple"] else 1)
            if total > limit:
                raise forms.ValidationError(
                    _("“%(question)s”: the votes add up to more than the ballots cast allow.")
                    % {"question": question["text"]}
                )
        return cleaned

    def counts(self):
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("o_") and value
        }


class RosterAssistedBallotForm(BallotForm):
    """Roster-based polls: a worker casts the ballot of a person on the roster at the office,
    found by name and identifier, whether or not the person has an account."""

    full_name = forms.CharField(label=_("Full name on the roster"), max_length=60)
    local_id = forms.CharField(label=_("Local identifier on the roster"), max_length=20)
    confirm = forms.BooleanField(
        label=_(
            "I checked the resident's identity; they chose these options and asked me to cast the ballot."
        ),
    )

    def __init__(self, poll, *args, **kwargs):
        super().__init__(poll, *args, with_code=False, **kwargs)
        self.order_fields(["full_name", "local_id"])

    def clean(self):
        cleaned = super().clean()
        name, local_id = cleaned.get("full_name"), cleaned.get("local_id")
        if name and local_id:
            self.person = (
                RosterPerson.objects.filter(
                    community__in=list(scope_community_ids(self.poll)),
                    full_name=name.strip(),
                    local_id=local_id.strip().upper(),
                )
                .select_related("community")
                .first()
            )
            if self.person is None:
                raise forms.ValidationError(
                    _(
                        "No one with this name and identifier is on the roster of the covered communities."
                    )
                )
        return cleaned
