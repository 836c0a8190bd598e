"""Admin forms for consultation pages: the page's edit form (the advance-notice rules
apply when publishing) and the "new consultation from a template" form.

The model names the edit form by path (`FormClassPath`), resolved after the models have
loaded, so this module may import them.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from consultations.communities.models import CommunityIndexPage, CommunityPage
from consultations.consultation_pages.models import ConsultationPage
from consultations.consultation_pages.operations import TEMPLATES
from consultations.permissions import can_start_consultation, consultation_places_for
from home.forms import PortalPageForm

# The edit-view buttons that make (or ask to make) the page public. A draft save may
# break the rules; publishing, or submitting for approval, may not.
DATE_FIELDS = ("notice_date", "input_opens", "input_closes", "meeting_at")
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class ConsultationPageForm(PortalPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("covered_communities")
        if field is not None and self.parent_page is not None:
            # Offer only the communities this page can cover: those below its township.
            from consultations.models import CommunityPage

            field.queryset = CommunityPage.objects.descendant_of(self.parent_page).order_by("path")

    def is_publishing(self):
        if any(self.data.get(action) for action in PUBLISHING_ACTIONS):
            return True
        # Approving in the edit view may be the workflow's last step, which publishes.
        return bool(
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned_data = super().clean()
        self.check_covered_communities(cleaned_data)
        if self.is_publishing() and self.dates_need_checking(cleaned_data):
            self.check_notice_rules(cleaned_data)
        return cleaned_data

    def dates_need_checking(self, cleaned_data):
        """A first publication, or changed dates; re-publishing a typo fix of a page whose
        dates were accepted before is not refused because the rules changed since."""
        # The form's instance is the latest draft; compare with what is live.
        return dates_differ_from_live(self.instance, cleaned_data)

    def check_covered_communities(self, cleaned_data):
        """Only an area-level consultation covers communities, and only those below it."""
        from consultations.models import CommunityPage

        covered = cleaned_data.get("covered_communities")
        parent = self.parent_page.specific if self.parent_page is not None else None
        if not covered or parent is None or "covered_communities" not in self.fields:
            return
        if isinstance(parent, CommunityPage):
            self.add_error(
                "covered_communities",
                _("Only a township-level consultation covers several communities."),
            )
            return
        inside = set(CommunityPage.objects.descendant_of(parent).values_list("pk", flat=True))
        outside = [c.title for c in covered if c.pk not in inside]
        if outside:
            self.add_error(
                "covered_communities",
                _("These communities are not in %(area)s: %(names)s.")
                % {"area": parent.title, "names": "、".join(outside)},
            )

    def check_notice_rules(self, cleaned_data):
        from consultations.models import ConsultationPage

        rules = rules_for_page(self.parent_page)
        candidate = ConsultationPage(
            notice_date=cleaned_data.get("notice_date"),
            input_opens=cleaned_data.get("input_opens"),
            input_closes=cleaned_data.get("input_closes"),
            meeting_at=cleaned_data.get("meeting_at"),
        )
        errors = candidate.notice_rule_errors(rules)
        for field, message in errors.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        if errors:
            self.add_error(
                None,
                _(
                    "This consultation cannot be published yet: it breaks the advance-notice "
                    "rules. Change the dates, or save it as a draft."
                ),
            )


def rules_for_page(page):
    """The ConsultationRules of the site `page` belongs to (or of the default site)."""
    from wagtail.models import Site

    from consultations.models import ConsultationRules

    site = page.get_site() if page is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return ConsultationRules.for_site(site) if site else ConsultationRules()


def dates_differ_from_live(page, values):
    """True unless `page` is live with exactly these dates (a dict or an object)."""
    if not page.pk:
        return True
    live = type(page).objects.filter(pk=page.pk, live=True).values(*DATE_FIELDS).first()
    if live is None:
        return True
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return any(get(name) != live[name] for name in DATE_FIELDS)


# --- new consultation from a template -----------------------------------------------------


class ConsultationTemplateForm(forms.ModelForm):
    """What a new consultation needs before its content is written; the template names
    the attached pages created with it (operations.TEMPLATES)."""

    template = forms.ChoiceField(
        label=_("Shape of the consultation"),
        widget=forms.RadioSelect(attrs={"class": "template-choice"}),
        initial="notice_suggestions",
    )
    parent = forms.ModelChoiceField(
        label=_("Where it belongs"),
        queryset=None,
        empty_label=None,
        help_text=_("The village or community it concerns, or the township for a shared matter."),
    )

    class Meta:
        model = ConsultationPage
        fields = [
            "title",
            "summary",
            "category",
            "format",
            "organiser",
            "covered_communities",
            "notice_date",
            "input_opens",
            "input_closes",
            "meeting_at",
            "meeting_place",
            "outcome_due",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "covered_communities": forms.CheckboxSelectMultiple,
            "notice_date": AdminDateInput,
            "input_opens": AdminDateInput,
            "input_closes": AdminDateInput,
            "outcome_due": AdminDateInput,
            "meeting_at": AdminDateTimeInput,
        }

    def __init__(self, *args, user, parent=None, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["template"].choices = [
            (key, format_html("{}<br><small>{}</small>", shape["label"], shape["description"]))
            for key, shape in TEMPLATES.items()
        ]
        self.fields["title"].help_text = _(
            "The page's short address is made from it (pinyin for Chinese)."
        )
        places = consultation_places_for(user)
        self.fields["parent"].queryset = places
        if parent is not None and places.filter(pk=parent.pk).exists():
            self.fields["parent"].initial = parent.pk
        # Covering several communities is for township-level consultations: offered only to
        # those who may start one, with the communities below their areas.
        areas = [page for page in places if page.specific_class is CommunityIndexPage]
        if areas:
            below = CommunityPage.objects.none()
            for area in areas:
                below |= CommunityPage.objects.descendant_of(area)
            self.fields["covered_communities"].required = False
            self.fields["covered_communities"].queryset = below.order_by("path")
        else:
            del self.fields["covered_communities"]
        today = timezone.localdate()
        notice_days = getattr(rules, "min_notice_days", 3)
        input_days = getattr(rules, "min_input_days", 7)
        self.initial.setdefault("notice_date", today)
        self.initial.setdefault("input_opens", today + timedelta(days=notice_days))
        self.initial.setdefault("input_closes", today + timedelta(days=notice_days + input_days))
        self.initial.setdefault(
            "outcome_due", today + timedelta(days=notice_days + input_days + 30)
        )

    def clean(self):
        cleaned_data = super().clean()
        parent = cleaned_data.get("parent")
        if parent is not None and not can_start_consultation(self.user, parent):
            self.add_error("parent", _("You cannot add a consultation here."))
        covered = cleaned_data.get("covered_communities") or []
        if parent is not None and covered:
            specific = parent.specific
            inside = set(CommunityPage.objects.descendant_of(specific).values_list("pk", flat=True))
            if isinstance(specific, CommunityPage):
                self.add_error(
                    "covered_communities",
                    _("Only a township-level consultation covers several communities."),
                )
            elif outside := [c.title for c in covered if c.pk not in inside]:
                self.add_error(
                    "covered_communities",
                    _("These communities are not in %(area)s: %(names)s.")
                    % {"area": specific.title, "names": "、".join(outside)},
                )
        template = TEMPLATES.get(cleaned_data.get("template"), {})
        if "hearing" in template.get("pages", ()) and not cleaned_data.get("meeting_at"):
            self.add_error(
                "meeting_at",
                _("A public hearing needs its date and time: the first session is made from it."),
            )
        return cleaned_data

    def build(self):
        """The unsaved consultation (covered communities are set by the operation)."""
        page = self.save(commit=False)
        page.live = False
        return page
