"""Staff screens of the roster in the Wagtail admin: list, entry form, import, export, link.

Each view asks a predicate of consultations.permissions for the community in question
(staff of one village never see another's roster) and calls one operation; reading and
exporting roster data is audit-logged like changing it.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.communities.models import CommunityPage
from consultations.exports import Spreadsheet
from consultations.permissions import (
    can_change_roster,
    can_export_roster,
    can_link_roster,
    can_see_rosters,
    can_view_roster,
    refuse_unless,
    roster_communities,
)
from consultations.roster.models import PersonStatus, RosterImport, RosterLink, RosterPerson

from .exports import roster_sheet
from .forms import ColumnMappingForm, OfficeLinkForm, RosterPersonForm, RosterUploadForm
from .models import LinkMethod
from .operations import (
    RosterError,
    apply_import,
    guess_mapping,
    link_account,
    log_roster_export,
    log_roster_view,
    plan_import,
    read_import,
    save_person,
    store_upload,
    unlink_account,
)

PER_PAGE = 50
PREVIEW_ROWS = 200


def get_community(request, community_id, predicate=can_view_roster):
    community = get_object_or_404(CommunityPage, pk=community_id)
    refuse_unless(predicate(request.user, community))
    return community


def index(request):
    communities = (
        roster_communities(request.user)
        .annotate(
            people=Count("roster", filter=Q(roster__status=PersonStatus.LIVING), distinct=True),
            linked=Count("roster__link", distinct=True),
        )
        .order_by("path")
    )
    refuse_unless(can_see_rosters(request.user))
    return TemplateResponse(
        request, "consultations/roster/admin/index.html", {"communities": communities}
    )


def community_roster(request, community_id):
    community = get_community(request, community_id)
    people = RosterPerson.objects.filter(community=community).select_related("link__user")
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(
            Q(full_name__icontains=query)
            | Q(household__icontains=query)
            | Q(group__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in PersonStatus.values:
        people = people.filter(status=status)
    # The list as searched, every page of it; exporting is logged like changing it.
    spreadsheet = Spreadsheet(request, f"roster-{community.slug}")
    if spreadsheet.is_export:
        refuse_unless(can_export_roster(request.user, community))
        people = list(people)
        log_roster_export(
            community, request.user, file_format=spreadsheet.export_format, count=len(people)
        )
        return spreadsheet.response([roster_sheet(people)])
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("p"))
    log_roster_view(community, request.user, what=f"page {page.number}")
    return TemplateResponse(
        request,
        "consultations/roster/admin/roster.html",
        {
            "community": community,
            "page": page,
            "query": query,
            "status": status,
            "statuses": PersonStatus.choices,
            "spreadsheet": spreadsheet,
        },
    )


def edit_person(request, community_id, person_id=None):
    community = get_community(request, community_id, can_change_roster)
    person = None
    if person_id is not None:
        person = get_object_or_404(RosterPerson, pk=person_id, community=community)
    form = RosterPersonForm(request.POST or None, instance=person, community=community)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save_person(form.instance, request.user, created=person is None)
            except RosterError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The roster entry has been saved."))
                return redirect("roster_admin:roster", community.pk)
        status = 400
    if person is not None and request.method == "GET":
        log_roster_view(community, request.user, what=f"person {person.pk}")
    link = RosterLink.objects.filter(person=person).select_related("user", "verified_by").first()
    return TemplateResponse(
        request,
        "consultations/roster/admin/person.html",
        {"community": community, "person": person, "form": form, "link": link},
        status=status,
    )


def upload(request, community_id):
    community = get_community(request, community_id, can_change_roster)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                roster_import, _headers = store_upload(
                    community, form.cleaned_data["file"], request.user
                )
            except RosterError as error:
                form.add_error("file", error.message)
            else:
                return redirect("roster_admin:import_preview", community.pk, roster_import.pk)
        status = 400
    return TemplateResponse(
        request,
        "consultations/roster/admin/upload.html",
        {"community": community, "form": form},
        status=status,
    )


def import_preview(request, community_id, import_id):
    """The column mapping and the dry run: what applying would add, update and reject."""
    community = get_community(request, community_id, can_change_roster)
    roster_import = get_object_or_404(
        RosterImport, pk=import_id, community=community, applied_at__isnull=True
    )
    try:
        headers, rows = read_import(roster_import)
    except RosterError as error:
        messages.error(request, error.message)
        return redirect("roster_admin:upload", community.pk)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = ColumnMappingForm(headers, guess_mapping(headers), data)
    plan = None
    status = 200
    if form.is_bound and form.is_valid():
        mapping = form.mapping()
    elif not form.is_bound:
        mapping = guess_mapping(headers)
    else:
        mapping = None
        status = 400
    if mapping is not None:
        try:
            if request.method == "POST" and "apply" in request.POST:
                plan = apply_import(roster_import, mapping, request.user)
                messages.success(
                    request,
                    _("Imported: %(added)s added, %(updated)s updated, %(rejected)s rejected.")
                    % {
                        "added": len(plan.to_add),
                        "updated": len(plan.to_update),
                        "rejected": len(plan.rejected),
                    },
                )
                return redirect("roster_admin:roster", community.pk)
            plan = plan_import(community, rows, mapping)
        except RosterError as error:
            form.add_error(None, error.message)
            status = 400
    return TemplateResponse(
        request,
        "consultations/roster/admin/preview.html",
        {
            "community": community,
            "roster_import": roster_import,
            "form": form,
            "plan": plan,
            "preview_rows": PREVIEW_ROWS,
            "added": plan.to_add[:PREVIEW_ROWS] if plan else [],
            "updated": plan.to_update[:PREVIEW_ROWS] if plan else [],
            "rejected": plan.rejected[:PREVIEW_ROWS] if plan else [],
        },
        status=status,
    )


def export(request, community_id, file_format):
    """The whole roster as a file: the list's export, unsearched."""
    community = get_community(request, community_id, can_export_roster)
    if file_format not in Spreadsheet.FORMATS:
        return HttpResponseBadRequest()
    return community_roster(Spreadsheet.list_request(request, export=file_format), community.pk)


def office_link(request, community_id, person_id):
    """Link an account to a roster entry with the resident in front of the desk."""
    community = get_community(request, community_id, can_link_roster)
    person = get_object_or_404(RosterPerson, pk=person_id, community=community)
    form = OfficeLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                link_account(form.user, person, method=LinkMethod.OFFICE, verified_by=request.user)
            except RosterError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The account is now linked to this roster entry."))
                return redirect("roster_admin:edit", community.pk, person.pk)
        status = 400
    return TemplateResponse(
        request,
        "consultations/roster/admin/link.html",
        {"community": community, "person": person, "form": form},
        status=status,
    )


@require_POST
def unlink(request, community_id, person_id):
    community = get_community(request, community_id, can_link_roster)
    link = get_object_or_404(RosterLink, person_id=person_id, person__community=community)
    unlink_account(link, request.user)
    messages.success(request, _("The account is no longer linked to this roster entry."))
    return redirect("roster_admin:edit", community.pk, person_id)
