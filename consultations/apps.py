from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """One Django app (label `consultations`) made of capability packages.

    Each capability keeps its models in `consultations/<capability>/models.py`;
    `consultations/models.py` gathers them for Django. Signal receivers live in each
    capability's `signals.py` and are connected here, once the models are loaded.
    """

    name = "consultations"
    verbose_name = _("Community consultation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from consultations.communities import signals as _communities  # noqa: F401
        from consultations.consultation_pages import signals as _pages  # noqa: F401
        from consultations.hearings import signals as _hearings  # noqa: F401
        from consultations.ledger import signals as _ledger  # noqa: F401
        from consultations.notifications import signals as _notifications  # noqa: F401
        from consultations.outcomes import signals as _outcomes  # noqa: F401
        from consultations.roster import signals as _roster  # noqa: F401
        from consultations.suggestions import signals as _suggestions  # noqa: F401
