"""The consultation domain, one module per capability (DESIGN.md §3)."""

from .catalogue import Category, Format, ParticipantGroup  # noqa: F401
from .communities import CommitteeContact, CommunityIndexPage, CommunityPage  # noqa: F401
from .hearings import HearingFormField, HearingPage, HearingSession, Registration  # noqa: F401
from .outcomes import (  # noqa: F401
    CommunityFollow,
    DecisionItem,
    LegalReviewTask,
    OutcomePage,
    ProgressUpdate,
)
from .pages import (  # noqa: F401
    ConsultationChildPage,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationRules,
    Stage,
)
from .polls import PollPage, VoterRegister  # noqa: F401
from .suggestions import Suggestion, SuggestionFormField, SuggestionFormPage  # noqa: F401
