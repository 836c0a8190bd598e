"""Concrete addresses for every URL pattern, filled from the fixture portal.

`CASES` maps a pattern's key (see `pattern_key`) to the addresses the matrix requests:
each a label and a function of the portal (`tests/authz/portal.py`) returning the path.
Where an object belongs to a community, there is a case for A's object and one for B's,
so the expectations say who may see another community's or person's records.
`UNFILLED` lists the patterns no fixture object can fill, each with the reason.
"""

from django.urls import reverse  # noqa: F401 - also used by the matrix tests


def named(name, **kwargs):
    """The address of `name`, its kwargs computed from the portal (callables of `p`)."""

    def build(p):
        return reverse(name, kwargs={key: value(p) for key, value in kwargs.items()})

    return build


def literal(path):
    return lambda p: path


def page_url(attr, suffix=""):
    """A page's own address (Wagtail's serve) plus a route below it."""

    def build(p):
        page = attr(p)
        return page.relative_url(None) + suffix

    return build


A, B = "A", "B"


def per_community(name, **kwargs):
    """Cases for A's object and B's: kwargs are functions of (portal, community ns)."""
    return [
        (
            letter,
            named(
                name, **{k: (lambda p, f=f, c=c: f(p, getattr(p, c))) for k, f in kwargs.items()}
            ),
        )
        for letter, c in ((A, "a"), (B, "b"))
    ]


def one(name, **kwargs):
    return [("", named(name, **kwargs))]


ct = {
    "content_type_app_name": lambda p: "consultations",
    "content_type_model_name": lambda p: "consultationpage",
}

CASES = {
    # --- language-neutral: API, sitemap, files ------------------------------------------
    "wagtailapi:pages:listing": one("wagtailapi:pages:listing"),
    "wagtailapi:pages:detail": [
        ("live", named("wagtailapi:pages:detail", pk=lambda p: p.a.consultation.pk)),
        ("draft", named("wagtailapi:pages:detail", pk=lambda p: p.b.draft.pk)),
    ],
    "wagtailapi:pages:find": [
        ("live", lambda p: reverse("wagtailapi:pages:find") + f"?id={p.a.consultation.pk}"),
        ("draft", lambda p: reverse("wagtailapi:pages:find") + f"?id={p.b.draft.pk}"),
    ],
    "wagtailapi:images:listing": one("wagtailapi:images:listing"),
    "wagtailapi:images:detail": one("wagtailapi:images:detail", pk=lambda p: p.image.pk),
    "wagtailapi:images:find": [
        ("", lambda p: reverse("wagtailapi:images:find") + f"?id={p.image.pk}")
    ],
    "wagtailapi:documents:listing": one("wagtailapi:documents:listing"),
    "wagtailapi:documents:detail": one("wagtailapi:documents:detail", pk=lambda p: p.document.pk),
    "wagtailapi:documents:find": [
        ("", lambda p: reverse("wagtailapi:documents:find") + f"?id={p.document.pk}")
    ],
    "wagtailapi:ledger:listing": one("wagtailapi:ledger:listing"),
    "wagtailapi:ledger:detail": [
        ("manual A", named("wagtailapi:ledger:detail", pk=lambda p: p.a.entry.pk)),
    ],
    "wagtailapi:ledger:find": [
        ("", lambda p: reverse("wagtailapi:ledger:find") + f"?id={p.a.entry.pk}")
    ],
    "sitemap": one("sitemap"),
    "robots_txt": one("robots_txt"),
    "favicon": one("favicon"),
    "wagtaildocs_serve": [
        ("", lambda p: reverse("wagtaildocs_serve", args=[p.document.pk, "minutes.txt"]))
    ],
    # --- the residents' own pages -------------------------------------------------------
    "residents:participation": one("residents:participation"),
    "residents:profile": one("residents:profile"),
    "residents:download": one("residents:download"),
    "residents:delete": one("residents:delete"),
    "residents:privacy": one("residents:privacy"),
    "text_size": one("text_size"),
    # --- allauth ------------------------------------------------------------------------
    **{
        name: one(name)
        for name in (
            "account_login",
            "account_logout",
            "account_inactive",
            "account_signup",
            "account_reauthenticate",
            "account_request_reauthentication_code",
            "account_confirm_reauthentication_code",
            "account_email",
            "account_email_verification_sent",
            "account_change_password",
            "account_set_password",
            "account_reset_password",
            "account_confirm_login_code",
            "account_verify_phone",
            "account_change_phone",
            "account_reset_password_from_key_done",
            "account_reset_password_done",
            "account_request_login_code",
            "mfa_index",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "mfa_activate_totp",
            "mfa_deactivate_totp",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_download_recovery_codes",
        )
    },
    "account_confirm_email": one("account_confirm_email", key=lambda p: "not-a-key"),
    "account_reset_password_from_key": one(
        "account_reset_password_from_key", uidb36=lambda p: "1", key=lambda p: "not-a-key"
    ),
    # --- the portal's public views ------------------------------------------------------
    "consultation_pages:search": [("", lambda p: reverse("consultation_pages:search") + "?q=村道")],
    "consultation_pages:feed_rss": one("consultation_pages:feed_rss"),
    "consultation_pages:feed_atom": one("consultation_pages:feed_atom"),
    "consultation_pages:feed_rss_community": per_community(
        "consultation_pages:feed_rss_community", community_id=lambda p, c: c.community.pk
    ),
    "consultation_pages:feed_atom_community": per_community(
        "consultation_pages:feed_atom_community", community_id=lambda p, c: c.community.pk
    ),
    "hearings:registration": per_community(
        "hearings:registration", code=lambda p, c: c.registration.code
    ),
    "hearings:registration_calendar": per_community(
        "hearings:registration_calendar", code=lambda p, c: c.registration.code
    ),
    "hearings:cancel": per_community("hearings:cancel", code=lambda p, c: c.registration.code),
    "hearings:my_registrations": one("hearings:my_registrations"),
    "suggestions:mine": one("suggestions:mine"),
    "suggestions:support": per_community("suggestions:support", pk=lambda p, c: c.suggestion.pk),
    "suggestions:attachment": per_community(
        "suggestions:attachment", pk=lambda p, c: c.suggestion.pk
    ),
    "outcomes:tracker": one("outcomes:tracker"),
    "outcomes:community_tracker": per_community(
        "outcomes:community_tracker", community_id=lambda p, c: c.community.pk
    ),
    "outcomes:atom": one("outcomes:atom"),
    "outcomes:rss": one("outcomes:rss"),
    "roster:verify": one("roster:verify"),
    "roster:verify_code": one("roster:verify_code"),
    "notifications:follow": one("notifications:follow", page_id=lambda p: p.a.consultation.pk),
    "notifications:inbox": one("notifications:inbox"),
    "notifications:preferences": one("notifications:preferences"),
    "notifications:unsubscribe": one("notifications:unsubscribe", token=lambda p: "tampered"),
    "wagtailcore_login": one("wagtailcore_login"),
    # Wagtail's serve: every page type, its routes, and drafts.
    "wagtail_serve": [
        ("home", page_url(lambda p: p.home)),
        ("consultation index", page_url(lambda p: p.index)),
        ("county", page_url(lambda p: p.tree.county)),
        ("township", page_url(lambda p: p.tree.township)),
        ("community A", page_url(lambda p: p.a.community)),
        ("community A record", page_url(lambda p: p.a.community, "record/")),
        ("community A record feed", page_url(lambda p: p.a.community, "record/feed/")),
        ("community A record json", page_url(lambda p: p.a.community, "record/json/")),
        ("consultation A", page_url(lambda p: p.a.consultation)),
        ("consultation A print", page_url(lambda p: p.a.consultation, "print/")),
        ("suggestion form A", page_url(lambda p: p.a.form)),
        ("hearing A", page_url(lambda p: p.a.hearing)),
        ("hearing A register", page_url(lambda p: p.a.hearing, "register/")),
        ("poll A", page_url(lambda p: p.a.poll)),
        ("poll A results csv", page_url(lambda p: p.a.poll, "results/csv/")),
        ("poll A results json", page_url(lambda p: p.a.poll, "results/json/")),
        ("outcome A", page_url(lambda p: p.a.outcome)),
        ("outcome A print", page_url(lambda p: p.a.outcome, "print/")),
        ("draft B", lambda p: p.b.community.relative_url(None) + "draft-b/"),
        ("no such page", literal("/no-such-page/")),
    ],
    # --- the admin: Wagtail's own screens -----------------------------------------------
    "admin_login_redirect": one("admin_login_redirect"),
    "wagtailadmin_home": one("wagtailadmin_home"),
    "- admin/test404/": [("", literal("/admin/test404/"))],
    "wagtailadmin_api:pages:listing": one("wagtailadmin_api:pages:listing"),
    "wagtailadmin_api:pages:detail": [
        ("A", named("wagtailadmin_api:pages:detail", pk=lambda p: p.a.consultation.pk)),
        ("draft B", named("wagtailadmin_api:pages:detail", pk=lambda p: p.b.draft.pk)),
    ],
    "wagtailadmin_api:pages:find": [
        ("", lambda p: reverse("wagtailadmin_api:pages:find") + f"?id={p.b.draft.pk}")
    ],
    "wagtailadmin_api:pages:action": one(
        "wagtailadmin_api:pages:action",
        pk=lambda p: p.b.draft.pk,
        action_name=lambda p: "copy",
    ),
    "wagtailadmin_api:documents:listing": one("wagtailadmin_api:documents:listing"),
    "wagtailadmin_api:documents:detail": one(
        "wagtailadmin_api:documents:detail", pk=lambda p: p.document.pk
    ),
    "wagtailadmin_api:documents:find": [
        ("", lambda p: reverse("wagtailadmin_api:documents:find") + f"?id={p.document.pk}")
    ],
    "wagtailadmin_api:images:listing": one("wagtailadmin_api:images:listing"),
    "wagtailadmin_api:images:detail": one(
        "wagtailadmin_api:images:detail", pk=lambda p: p.image.pk
    ),
    "wagtailadmin_api:images:find": [
        ("", lambda p: reverse("wagtailadmin_api:images:find") + f"?id={p.image.pk}")
    ],
    "wagtailadmin_error_test": one("wagtailadmin_error_test"),
    "wagtailadmin_explore_root": one("wagtailadmin_explore_root"),
    "wagtailadmin_explore": per_community(
        "wagtailadmin_explore", parent_page_id=lambda p, c: c.community.pk
    ),
    "wagtailadmin_explore_results": per_community(
        "wagtailadmin_explore_results", parent_page_id=lambda p, c: c.community.pk
    ),
    "wagtail_bulk_action": [
        (
            "delete B draft",
            lambda p: (
                reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
                + f"?id={p.b.draft.pk}"
            ),
        )
    ],
    "wagtailadmin_pages:add": per_community(
        "wagtailadmin_pages:add",
        **{k: (lambda p, c, v=v: v(p)) for k, v in ct.items()},
        parent_page_id=lambda p, c: c.community.pk,
    ),
    "wagtailadmin_pages:preview_on_add": per_community(
        "wagtailadmin_pages:preview_on_add",
        **{k: (lambda p, c, v=v: v(p)) for k, v in ct.items()},
        parent_page_id=lambda p, c: c.community.pk,
    ),
    "wagtailadmin_pages:type_use": one("wagtailadmin_pages:type_use", **ct),
    "wagtailadmin_pages:choose_parent": one(
        "wagtailadmin_pages:choose_parent",
        app_label=lambda p: "consultations",
        model_name=lambda p: "consultationpage",
    ),
    "wagtailadmin_pages:type_use_results": one("wagtailadmin_pages:type_use_results", **ct),
    **{
        f"wagtailadmin_pages:{view}": per_community(
            f"wagtailadmin_pages:{view}", page_id=lambda p, c: c.draft.pk
        )
        for view in (
            "usage",
            "edit",
            "view_draft",
            "delete",
            "unpublish",
            "convert_alias",
            "copy",
            "confirm_workflow_cancellation",
            "set_privacy",
            "lock",
            "unlock",
            "revisions_index",
            "workflow_history",
            "history",
            "history_results",
        )
    },
    "wagtailadmin_pages:preview_on_edit": per_community(
        "wagtailadmin_pages:preview_on_edit", page_id=lambda p, c: c.draft.pk
    ),
    "wagtailadmin_pages:add_subpage": per_community(
        "wagtailadmin_pages:add_subpage", parent_page_id=lambda p, c: c.consultation.pk
    ),
    "wagtailadmin_pages:search": [("", lambda p: reverse("wagtailadmin_pages:search") + "?q=草稿")],
    "wagtailadmin_pages:search_results": [
        ("", lambda p: reverse("wagtailadmin_pages:search_results") + "?q=草稿")
    ],
    "wagtailadmin_pages:move": per_community(
        "wagtailadmin_pages:move", page_to_move_id=lambda p, c: c.draft.pk
    ),
    "wagtailadmin_pages:move_confirm": per_community(
        "wagtailadmin_pages:move_confirm",
        page_to_move_id=lambda p, c: c.draft.pk,
        destination_id=lambda p, c: p.tree.township.pk,
    ),
    "wagtailadmin_pages:set_page_position": per_community(
        "wagtailadmin_pages:set_page_position", page_to_move_id=lambda p, c: c.draft.pk
    ),
    "wagtailadmin_pages:workflow_action": one(
        "wagtailadmin_pages:workflow_action",
        page_id=lambda p: p.a.draft.pk,
        action_name=lambda p: "approve",
        task_state_id=lambda p: p.task_state.pk,
    ),
    "wagtailadmin_pages:collect_workflow_action_data": one(
        "wagtailadmin_pages:collect_workflow_action_data",
        page_id=lambda p: p.a.draft.pk,
        action_name=lambda p: "approve",
        task_state_id=lambda p: p.task_state.pk,
    ),
    "wagtailadmin_pages:workflow_preview": one(
        "wagtailadmin_pages:workflow_preview",
        page_id=lambda p: p.a.draft.pk,
        task_id=lambda p: p.task_state.task_id,
    ),
    "wagtailadmin_pages:revisions_view": per_community(
        "wagtailadmin_pages:revisions_view",
        page_id=lambda p, c: c.draft.pk,
        revision_id=lambda p, c: c.draft.latest_revision_id,
    ),
    "wagtailadmin_pages:revisions_revert": per_community(
        "wagtailadmin_pages:revisions_revert",
        page_id=lambda p, c: c.draft.pk,
        revision_id=lambda p, c: c.draft.latest_revision_id,
    ),
    "wagtailadmin_pages:revisions_unschedule": per_community(
        "wagtailadmin_pages:revisions_unschedule",
        page_id=lambda p, c: c.draft.pk,
        revision_id=lambda p, c: c.draft.latest_revision_id,
    ),
    "wagtailadmin_pages:revisions_compare": per_community(
        "wagtailadmin_pages:revisions_compare",
        pk=lambda p, c: c.draft.pk,
        revision_id_a=lambda p, c: "earliest",
        revision_id_b=lambda p, c: "latest",
    ),
    "wagtailadmin_pages:workflow_history_detail": one(
        "wagtailadmin_pages:workflow_history_detail",
        page_id=lambda p: p.a.draft.pk,
        workflow_state_id=lambda p: p.workflow_state.pk,
    ),
    "wagtailadmin_choose_page": one("wagtailadmin_choose_page"),
    "wagtailadmin_choose_page_child": per_community(
        "wagtailadmin_choose_page_child", parent_page_id=lambda p, c: c.community.pk
    ),
    "wagtailadmin_choose_page_search": [
        ("", lambda p: reverse("wagtailadmin_choose_page_search") + "?q=草稿")
    ],
    "wagtailadmin_choose_page_chosen_multiple": [
        (
            "",
            lambda p: reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={p.b.draft.pk}",
        )
    ],
    "wagtailadmin_choose_page_external_link": one("wagtailadmin_choose_page_external_link"),
    "wagtailadmin_choose_page_email_link": one("wagtailadmin_choose_page_email_link"),
    "wagtailadmin_choose_page_phone_link": one("wagtailadmin_choose_page_phone_link"),
    "wagtailadmin_choose_page_anchor_link": one("wagtailadmin_choose_page_anchor_link"),
    "wagtailadmin_tag_autocomplete": one("wagtailadmin_tag_autocomplete"),
    "wagtailadmin_tag_model_autocomplete": one(
        "wagtailadmin_tag_model_autocomplete",
        app_name=lambda p: "wagtaildocs",
        model_name=lambda p: "document",
    ),
    "wagtailadmin_collections:index": one("wagtailadmin_collections:index"),
    "wagtailadmin_collections:add": one("wagtailadmin_collections:add"),
    "wagtailadmin_collections:edit": one(
        "wagtailadmin_collections:edit", pk=lambda p: p.collection.pk
    ),
    "wagtailadmin_collections:delete": one(
        "wagtailadmin_collections:delete", pk=lambda p: p.collection.pk
    ),
    "wagtailadmin_collections:set_privacy": one(
        "wagtailadmin_collections:set_privacy", collection_id=lambda p: p.collection.pk
    ),
    "wagtailadmin_workflows:index": one("wagtailadmin_workflows:index"),
    "wagtailadmin_workflows:index_results": one("wagtailadmin_workflows:index_results"),
    "wagtailadmin_workflows:add": one("wagtailadmin_workflows:add"),
    **{
        f"wagtailadmin_workflows:{view}": one(
            f"wagtailadmin_workflows:{view}", pk=lambda p: p.workflow.pk
        )
        for view in ("enable", "disable", "edit", "usage", "usage_results")
    },
    "wagtailadmin_workflows:remove admin/workflows/remove/<int:page_pk>/": [
        ("", lambda p: reverse("wagtailadmin_workflows:remove", args=[p.tree.a.pk]))
    ],
    "wagtailadmin_workflows:remove admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": [
        (
            "",
            lambda p: reverse("wagtailadmin_workflows:remove", args=[p.tree.a.pk, p.workflow.pk]),
        )
    ],
    "wagtailadmin_workflows:add_task": one(
        "wagtailadmin_workflows:add_task",
        app_label=lambda p: "wagtailcore",
        model_name=lambda p: "groupapprovaltask",
    ),
    "wagtailadmin_workflows:select_task_type": one("wagtailadmin_workflows:select_task_type"),
    "wagtailadmin_workflows:task_index": one("wagtailadmin_workflows:task_index"),
    "wagtailadmin_workflows:task_index_results": one("wagtailadmin_workflows:task_index_results"),
    **{
        f"wagtailadmin_workflows:{view}": one(
            f"wagtailadmin_workflows:{view}", pk=lambda p: p.task.pk
        )
        for view in ("edit_task", "disable_task", "enable_task")
    },
    "wagtailadmin_workflows:task_chooser": one("wagtailadmin_workflows:task_chooser"),
    "wagtailadmin_workflows:task_chooser_results": one(
        "wagtailadmin_workflows:task_chooser_results"
    ),
    "wagtailadmin_workflows:task_chooser_create": one("wagtailadmin_workflows:task_chooser_create"),
    "wagtailadmin_workflows:task_chosen": one(
        "wagtailadmin_workflows:task_chosen", task_id=lambda p: p.task.pk
    ),
    **{
        f"wagtailadmin_reports:{view}": one(f"wagtailadmin_reports:{view}")
        for view in (
            "locked_pages",
            "locked_pages_results",
            "workflow",
            "workflow_results",
            "workflow_tasks",
            "workflow_tasks_results",
            "site_history",
            "site_history_results",
            "aging_pages",
            "aging_pages_results",
            "page_types_usage",
            "page_types_usage_results",
        )
    },
    # The portal's narrowed report, at Wagtail's addresses (consultations/communities/admin.py).
    "portal_page_types_usage": one("portal_page_types_usage"),
    "portal_page_types_usage_results": one("portal_page_types_usage_results"),
    "wagtailadmin_account": one("wagtailadmin_account"),
    "wagtailadmin_logout": one("wagtailadmin_logout"),
    "wagtailadmin_dismissibles": one("wagtailadmin_dismissibles"),
    "wagtailadmin_editing_sessions:ping": one(
        "wagtailadmin_editing_sessions:ping",
        app_label=lambda p: "wagtailcore",
        model_name=lambda p: "page",
        object_id=lambda p: str(p.b.draft.pk),
        session_id=lambda p: 0,
    ),
    "wagtailadmin_editing_sessions:release": one(
        "wagtailadmin_editing_sessions:release", session_id=lambda p: 0
    ),
    "wagtailadmin_block_preview": one("wagtailadmin_block_preview"),
    # --- the admin: the portal's screens ------------------------------------------------
    "consultations_new": one("consultations_new"),
    "hearings_admin:index": one("hearings_admin:index"),
    **{
        f"hearings_admin:{view}": per_community(
            f"hearings_admin:{view}", session_id=lambda p, c: c.session.pk
        )
        for view in ("registrants", "check_in", "speakers", "assisted_register")
    },
    "consultations_ledgerentry_modeladmin_index": [
        ("", literal("/admin/consultations/ledgerentry/"))
    ],
    "consultations_ledgerentry_modeladmin_create": [
        ("", literal("/admin/consultations/ledgerentry/create/"))
    ],
    **{
        f"consultations_ledgerentry_modeladmin_{view}": [
            (
                letter,
                lambda p, view=view, c=c: (
                    f"/admin/consultations/ledgerentry/{view}/{getattr(p, c).entry.pk}/"
                ),
            )
            for letter, c in ((A, "a"), (B, "b"))
        ]
        for view in ("edit", "delete", "inspect", "history")
    },
    "ledger_admin:report": one("ledger_admin:report"),
    "ledger_admin:report_results": one("ledger_admin:report_results"),
    "ledger_admin:report_print": one("ledger_admin:report_print"),
    "ledger_admin:export": one("ledger_admin:export"),
    "outcomes_admin:overdue": one("outcomes_admin:overdue"),
    "outcomes_admin:overdue_results": one("outcomes_admin:overdue_results"),
    "outcomes_admin:overdue_items": one("outcomes_admin:overdue_items"),
    "outcomes_admin:overdue_items_results": one("outcomes_admin:overdue_items_results"),
    "outcomes_admin:implementation": per_community(
        "outcomes_admin:implementation", page_id=lambda p, c: c.outcome.pk
    ),
    "outcomes_admin:item": per_community("outcomes_admin:item", item_id=lambda p, c: c.item.pk),
    "outcomes_admin:override": per_community(
        "outcomes_admin:override", page_id=lambda p, c: c.outcome.pk
    ),
    "polls_admin:dashboard": per_community("polls_admin:dashboard", poll_id=lambda p, c: c.poll.pk),
    **{
        f"polls_admin:{view}": per_community(
            f"polls_admin:{view}", poll_id=lambda p, c: c.code_poll.pk
        )
        for view in (
            "new_code_batch",
            "void_codes",
            "new_paper_tally",
            "assisted_vote",
            "roster_assisted_vote",
            "issue_person_codes",
            "publish",
        )
    },
    "polls_admin:code_sheet": per_community(
        "polls_admin:code_sheet",
        poll_id=lambda p, c: c.code_poll.pk,
        batch_id=lambda p, c: c.batch.pk,
    ),
    "polls_admin:approve_code_reprint": per_community(
        "polls_admin:approve_code_reprint",
        poll_id=lambda p, c: c.code_poll.pk,
        batch_id=lambda p, c: c.batch.pk,
    ),
    "polls_admin:confirm_paper_tally": per_community(
        "polls_admin:confirm_paper_tally",
        poll_id=lambda p, c: c.code_poll.pk,
        tally_id=lambda p, c: c.tally.pk,
    ),
    "polls_admin:export": per_community(
        "polls_admin:export", poll_id=lambda p, c: c.poll.pk, file_format=lambda p, c: "csv"
    ),
    "roster_admin:index": one("roster_admin:index"),
    **{
        f"roster_admin:{view}": per_community(
            f"roster_admin:{view}", community_id=lambda p, c: c.community.pk
        )
        for view in ("roster", "add", "upload")
    },
    **{
        f"roster_admin:{view}": per_community(
            f"roster_admin:{view}",
            community_id=lambda p, c: c.community.pk,
            person_id=lambda p, c: c.person.pk,
        )
        for view in ("edit", "link", "unlink")
    },
    "roster_admin:import_preview": per_community(
        "roster_admin:import_preview",
        community_id=lambda p, c: c.community.pk,
        import_id=lambda p, c: c.roster_import.pk,
    ),
    "roster_admin:export": per_community(
        "roster_admin:export",
        community_id=lambda p, c: c.community.pk,
        file_format=lambda p, c: "csv",
    ),
    "suggestions_admin:queue": one("suggestions_admin:queue"),
    "suggestions_admin:detail": per_community(
        "suggestions_admin:detail", pk=lambda p, c: c.suggestion.pk
    ),
    "suggestions_admin:assisted_submit": per_community(
        "suggestions_admin:assisted_submit", page_id=lambda p, c: c.form.pk
    ),
    "suggestions_admin:export": per_community(
        "suggestions_admin:export", page_id=lambda p, c: c.form.pk, file_format=lambda p, c: "csv"
    ),
    "wagtailforms:index": one("wagtailforms:index"),
    "wagtailforms:index_results": one("wagtailforms:index_results"),
    **{
        f"wagtailforms:{view}": per_community(
            f"wagtailforms:{view}", page_id=lambda p, c: c.form.pk
        )
        for view in ("list_submissions", "list_submissions_results", "delete_submissions")
    },
    # --- the admin: Wagtail's contrib and settings --------------------------------------
    "wagtailredirects:index": one("wagtailredirects:index"),
    "wagtailredirects:index_results": one("wagtailredirects:index_results"),
    "wagtailredirects:add": one("wagtailredirects:add"),
    "wagtailredirects:edit": one("wagtailredirects:edit", redirect_id=lambda p: p.redirect.pk),
    "wagtailredirects:delete": one("wagtailredirects:delete", redirect_id=lambda p: p.redirect.pk),
    "wagtailredirects:start_import": one("wagtailredirects:start_import"),
    "wagtailredirects:process_import": one("wagtailredirects:process_import"),
    "wagtailsettings:edit admin/settings/<slug:app_name>/<slug:model_name>/": [
        (
            model,
            lambda p, app=app, model=model: reverse("wagtailsettings:edit", args=[app, model]),
        )
        for app, model in (
            ("home", "portalsettings"),
            ("consultations", "ledgersettings"),
            ("consultations", "consultationrules"),
        )
    ],
    "wagtailsettings:edit admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": [
        (
            "",
            lambda p: reverse("wagtailsettings:edit", args=["home", "portalsettings", p.site.pk]),
        )
    ],
    "wagtailsettings:preview_on_edit": one(
        "wagtailsettings:preview_on_edit",
        app_name=lambda p: "home",
        model_name=lambda p: "portalsettings",
        pk=lambda p: p.site.pk,
    ),
    "wagtailsearchpromotions:index": one("wagtailsearchpromotions:index"),
    "wagtailsearchpromotions:index_results": one("wagtailsearchpromotions:index_results"),
    "wagtailsearchpromotions:add": one("wagtailsearchpromotions:add"),
    "wagtailsearchpromotions:edit": one(
        "wagtailsearchpromotions:edit", query_id=lambda p: p.query.pk
    ),
    "wagtailsearchpromotions:delete": one(
        "wagtailsearchpromotions:delete", query_id=lambda p: p.query.pk
    ),
    "wagtailsearchpromotions:chooser": one("wagtailsearchpromotions:chooser"),
    "wagtailsearchpromotions:chooserresults": one("wagtailsearchpromotions:chooserresults"),
    "wagtailsearchpromotions:search_terms": one("wagtailsearchpromotions:search_terms"),
    "wagtailsearchpromotions:search_terms_results": one(
        "wagtailsearchpromotions:search_terms_results"
    ),
    "wagtailembeds:chooser": one("wagtailembeds:chooser"),
    "wagtailembeds:chooser_upload": one("wagtailembeds:chooser_upload"),
    "wagtailsnippets:index": one("wagtailsnippets:index"),
    # documents and images
    "wagtaildocs:index": one("wagtaildocs:index"),
    "wagtaildocs:index_results": one("wagtaildocs:index_results"),
    "wagtaildocs:add": one("wagtaildocs:add"),
    "wagtaildocs:edit": one("wagtaildocs:edit", document_id=lambda p: p.document.pk),
    "wagtaildocs:delete": one("wagtaildocs:delete", document_id=lambda p: p.document.pk),
    "wagtaildocs:add_multiple": one("wagtaildocs:add_multiple"),
    "wagtaildocs:edit_multiple": one("wagtaildocs:edit_multiple", doc_id=lambda p: p.document.pk),
    "wagtaildocs:delete_multiple": one(
        "wagtaildocs:delete_multiple", doc_id=lambda p: p.document.pk
    ),
    "wagtaildocs:document_usage": one(
        "wagtaildocs:document_usage", document_id=lambda p: p.document.pk
    ),
    "wagtailimages:index": one("wagtailimages:index"),
    "wagtailimages:index_results": one("wagtailimages:index_results"),
    "wagtailimages:edit": one("wagtailimages:edit", image_id=lambda p: p.image.pk),
    "wagtailimages:delete": one("wagtailimages:delete", image_id=lambda p: p.image.pk),
    "wagtailimages:url_generator": one(
        "wagtailimages:url_generator", image_id=lambda p: p.image.pk
    ),
    "wagtailimages:url_generator_output": one(
        "wagtailimages:url_generator_output", image_id=lambda p: p.image.pk
    ),
    "wagtailimages:preview": one(
        "wagtailimages:preview", image_id=lambda p: p.image.pk, filter_spec=lambda p: "original"
    ),
    "wagtailimages:add": one("wagtailimages:add"),
    "wagtailimages:image_usage": one("wagtailimages:image_usage", image_id=lambda p: p.image.pk),
    "wagtailimages:add_multiple": one("wagtailimages:add_multiple"),
    "wagtailimages:edit_multiple": one(
        "wagtailimages:edit_multiple", image_id=lambda p: p.image.pk
    ),
    "wagtailimages:delete_multiple": one(
        "wagtailimages:delete_multiple", image_id=lambda p: p.image.pk
    ),
    # sites, users, groups
    "wagtailsites:index": one("wagtailsites:index"),
    "wagtailsites:index_results": one("wagtailsites:index_results"),
    "wagtailsites:add": one("wagtailsites:add"),
    **{
        f"wagtailsites:{view}": one(f"wagtailsites:{view}", pk=lambda p: p.site.pk)
        for view in ("edit", "delete", "history", "history_results", "usage", "copy")
    },
    "wagtailusers_users:index": one("wagtailusers_users:index"),
    "wagtailusers_users:index_results": one("wagtailusers_users:index_results"),
    "wagtailusers_users:add": one("wagtailusers_users:add"),
    **{
        f"wagtailusers_users:{view}": one(
            f"wagtailusers_users:{view}", pk=lambda p: p.users["resident"].pk
        )
        for view in ("edit", "delete", "history", "history_results", "usage", "copy")
    },
    "wagtailusers_groups:index": one("wagtailusers_groups:index"),
    "wagtailusers_groups:index_results": one("wagtailusers_groups:index_results"),
    "wagtailusers_groups:add": one("wagtailusers_groups:add"),
    **{
        f"wagtailusers_groups:{view}": one(f"wagtailusers_groups:{view}", pk=lambda p: p.group.pk)
        for view in ("edit", "delete", "history", "history_results", "usage")
    },
    # choosers
    "wagtaildocs_chooser:choose": one("wagtaildocs_chooser:choose"),
    "wagtaildocs_chooser:choose_results": one("wagtaildocs_chooser:choose_results"),
    "wagtaildocs_chooser:chosen": one(
        "wagtaildocs_chooser:chosen", pk=lambda p: str(p.document.pk)
    ),
    "wagtaildocs_chooser:chosen_multiple": [
        ("", lambda p: reverse("wagtaildocs_chooser:chosen_multiple") + f"?id={p.document.pk}")
    ],
    "wagtaildocs_chooser:create": one("wagtaildocs_chooser:create"),
    "wagtailimages_chooser:choose": one("wagtailimages_chooser:choose"),
    "wagtailimages_chooser:choose_results": one("wagtailimages_chooser:choose_results"),
    "wagtailimages_chooser:chosen": one(
        "wagtailimages_chooser:chosen", pk=lambda p: str(p.image.pk)
    ),
    "wagtailimages_chooser:chosen_multiple": [
        ("", lambda p: reverse("wagtailimages_chooser:chosen_multiple") + f"?id={p.image.pk}")
    ],
    "wagtailimages_chooser:create": one("wagtailimages_chooser:create"),
    "wagtailimages_chooser:select_format": one(
        "wagtailimages_chooser:select_format", image_id=lambda p: p.image.pk
    ),
    "wagtail_modeladmin:javascript_catalog": one("wagtail_modeladmin:javascript_catalog"),
    "wagtailadmin_sprite": one("wagtailadmin_sprite"),
    "wagtailadmin_login": one("wagtailadmin_login"),
    "wagtailadmin_password_reset": one("wagtailadmin_password_reset"),
    "wagtailadmin_password_reset_done": one("wagtailadmin_password_reset_done"),
    "wagtailadmin_password_reset_confirm": one(
        "wagtailadmin_password_reset_confirm",
        uidb64=lambda p: "MQ",
        token=lambda p: "not-a-token",
    ),
    "wagtailadmin_password_reset_complete": one("wagtailadmin_password_reset_complete"),
    "wagtailadmin_javascript_catalog": one("wagtailadmin_javascript_catalog"),
    "- admin/^.*/$": [("", literal("/admin/no-such-screen/"))],
}

# The snippets' viewsets: the same screens for each catalogue snippet.
for _model, _attr in (
    ("category", "category"),
    ("participantgroup", "participant_group"),
    ("format", "format"),
):
    _list = f"wagtailsnippets_consultations_{_model}"
    _choose = f"wagtailsnippetchoosers_consultations_{_model}"
    for _view in ("list", "list_results", "add"):
        CASES[f"{_list}:{_view}"] = one(f"{_list}:{_view}")
    for _view in ("edit", "delete", "usage", "history", "history_results", "copy"):
        CASES[f"{_list}:{_view}"] = one(
            f"{_list}:{_view}", pk=lambda p, _attr=_attr: getattr(p, _attr).pk
        )
    for _view in ("choose", "choose_results", "chosen_multiple", "create"):
        CASES[f"{_choose}:{_view}"] = one(f"{_choose}:{_view}")
    CASES[f"{_choose}:chosen"] = one(
        f"{_choose}:chosen", pk=lambda p, _attr=_attr: str(getattr(p, _attr).pk)
    )

# Patterns that exist only with DEBUG on (the test settings have it off).
DEBUG_ONLY = {"- ^media/(?P<path>.*)$"}

UNFILLED = {
    "- ^media/(?P<path>.*)$": "DEBUG only: Django's static() serves MEDIA_ROOT in development",
    "wagtaildocs_authenticate_with_password": "needs a collection password restriction; "
    "the form posts a password, nothing to read",
    "wagtailcore_authenticate_with_password": "needs a page password restriction; "
    "the form posts a password, nothing to read",
    "wagtaildocs:create_multiple_from_uploaded_document": "POST only, for an upload in progress",
    "wagtaildocs:delete_upload_multiple": "POST only, for an upload in progress",
    "wagtailimages:create_multiple_from_uploaded_image": "POST only, for an upload in progress",
    "wagtailimages:delete_upload_multiple": "POST only, for an upload in progress",
}


def walk(resolver, prefix="", namespaces=()):
    """Every URL pattern below `resolver`: (key, route) pairs, Wagtail's admin and API too."""
    from django.urls import URLResolver

    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern, prefix + str(pattern.pattern), inner)
        else:
            name = ":".join(namespaces + (pattern.name,)) if pattern.name else None
            yield name, prefix + str(pattern.pattern)


def resolver_patterns():
    """{key: route} for the whole site. The key is the URL name; for a nameless pattern,
    or a name two patterns share, it is "<name or -> <route>"."""
    from collections import Counter

    from django.urls import get_resolver

    found = list(walk(get_resolver()))
    counts = Counter(name for name, _route in found)
    return {
        (name if name and counts[name] == 1 else f"{name or '-'} {route}"): route
        for name, route in found
    }
