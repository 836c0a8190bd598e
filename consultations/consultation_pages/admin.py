"""Staff screens of the consultation-page capability: a new consultation from a template."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

from consultations.consultation_pages.forms import ConsultationTemplateForm, rules_for_page
from consultations.consultation_pages.operations import TEMPLATES, start_from_template
from consultations.permissions import consultation_places_for, refuse_unless


def new_consultation(request):
    """ "New consultation": choose a shape, say what and when; the consultation and its
    attached pages are created as drafts and the editor lands on the consultation."""
    places = consultation_places_for(request.user)
    refuse_unless(places.exists())
    parent = None
    if parent_id := request.GET.get("parent", "").strip():
        parent = Page.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
    form = ConsultationTemplateForm(
        request.POST or None,
        user=request.user,
        parent=parent,
        rules=rules_for_page(parent or places.first()),
    )
    if request.method == "POST" and form.is_valid():
        consultation = start_from_template(
            form.cleaned_data["parent"].specific,
            request.user,
            form.cleaned_data["template"],
            form.build(),
            covered_communities=form.cleaned_data.get("covered_communities") or (),
        )
        shape = TEMPLATES[form.cleaned_data["template"]]
        messages.success(
            request,
            _(
                "Consultation “%(title)s” created as a draft with its pages (%(shape)s). "
                "Write the content, then submit it for review once: its pages go with it."
            )
            % {"title": consultation.title, "shape": shape["label"]},
        )
        return redirect("wagtailadmin_pages:edit", consultation.pk)
    return TemplateResponse(
        request,
        "consultations/consultation_pages/admin/new_consultation.html",
        {"form": form, "cancel_url": reverse("wagtailadmin_home")},
    )
