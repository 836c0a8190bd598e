"""Where Django finds the app's models: each capability keeps its own in its package.

The app label stays `consultations`, so tables and migrations are those of one app.
"""

from consultations.communities.models import (  # noqa: F401
    CommitteeContact,
    CommunityIndexPage,
    CommunityPage,
)
from consultations.consultation_pages.models import (  # noqa: F401
    Category,
    ConsultationChildPage,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationRules,
    Format,
    ParticipantGroup,
    Stage,
)
from consultations.hearings.models import (  # noqa: F401
    HearingFormField,
    HearingPage,
    HearingSession,
    Registration,
)
from consultations.ledger.models import (  # noqa: F401
    LedgerEntry,
    LedgerPhoto,
    LedgerSettings,
)
from consultations.notifications.models import (  # noqa: F401
    Digest,
    Follow,
    Notification,
    NotificationPreference,
)
from consultations.outcomes.models import (  # noqa: F401
    DeadlineReminder,
    DecisionItem,
    FeedbackDigest,
    LegalReviewOverride,
    LegalReviewTask,
    OutcomeEvent,
    OutcomePage,
    ProgressUpdate,
)
from consultations.polls.models import (  # noqa: F401
    Ballot,
    CodeBatch,
    NamedVote,
    OptionTally,
    PaperTally,
    PollPage,
    PollTurnout,
    SealedBallot,
    VoterRegister,
    VotingCode,
)
from consultations.roster.models import (  # noqa: F401
    LinkChallenge,
    RosterImport,
    RosterLink,
    RosterPerson,
)
from consultations.suggestions.models import (  # noqa: F401
    Suggestion,
    SuggestionFormField,
    SuggestionFormPage,
    Support,
)
