"""Log action names of the residents' own changes (shown in the admin's history)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "consultations.residents.change_community",
        _("Change own community"),
        _("Resident changed their community"),
    )
