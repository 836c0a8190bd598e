"""Who on the roster may take part: the rules a poll (or another form) sets, in one place.

A rule set narrows the living people on the rosters of the covered communities: registered
residents only (户籍) or everyone living there, one villager group or building, a minimum
age on a given day, and one voice per household (only the household representative, 户代表,
takes part — common for village matters). `eligible_people` is the roll (and the turnout
denominator); `refusal` says in plain words why one person is not on it; `describe` says
who may take part in plain words for the page.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import ResidenceStatus
from consultations.roster.models import PersonStatus, RosterPerson


@dataclass(frozen=True)
class ParticipationRules:
    registered_only: bool = False
    group: str = ""
    min_age: int | None = None
    household_representatives_only: bool = False


def _born_on_or_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def eligible_people(community_ids, rules, on):
    """The roll: living roster people of `community_ids` who meet `rules` on day `on`."""
    people = RosterPerson.objects.filter(
        community_id__in=list(community_ids), status=PersonStatus.LIVING
    )
    if rules.registered_only:
        people = people.filter(residence_status=ResidenceStatus.REGISTERED)
    if rules.group:
        people = people.filter(group=rules.group)
    if rules.min_age:
        people = people.filter(date_of_birth__lte=_born_on_or_before(on, rules.min_age))
    if rules.household_representatives_only:
        people = people.filter(is_household_representative=True).exclude(household="")
    return people


def refusal(person, community_ids, rules, on):
    """Why `person` is not on the roll, in words for them; None when they are."""
    if person is None:
        return _(
            "Only people on the roster of the communities this covers may take part. Confirm "
            "your entry on the roster from your account, or at your community office."
        )
    if person.community_id not in community_ids:
        return _("Your roster entry is in a community this does not cover.")
    if person.status != PersonStatus.LIVING:
        return _("Your roster entry is not marked as living here.")
    if rules.registered_only and person.residence_status != ResidenceStatus.REGISTERED:
        return _("Only registered residents (户籍居民) take part in this one.")
    if rules.group and person.group != rules.group:
        return _("Only the residents of %(group)s take part in this one.") % {"group": rules.group}
    if rules.min_age:
        age = person.age_on(on if isinstance(on, datetime.date) else on.date())
        if age is None:
            return _("Your date of birth is not on the roster; the community office can add it.")
        if age < rules.min_age:
            return _("Only residents aged %(age)s or over take part in this one.") % {
                "age": rules.min_age
            }
    if rules.household_representatives_only and not (
        person.is_household_representative and person.household
    ):
        return _("One voice per household: your household's representative (户代表) takes part.")
    return None


def describe(rules, community_titles):
    """Who may take part, as plain sentences for the page."""
    places = "、".join(community_titles) or _("the communities this covers")
    if rules.registered_only:
        who = _("Registered residents (户籍居民) on the roster of %(places)s.") % {"places": places}
    else:
        who = _("Everyone living in %(places)s who is on its roster, registered or not.") % {
            "places": places
        }
    sentences = [who]
    if rules.group:
        sentences.append(_("Only %(group)s.") % {"group": rules.group})
    if rules.min_age:
        sentences.append(_("Aged %(age)s or over on the day they vote.") % {"age": rules.min_age})
    if rules.household_representatives_only:
        sentences.append(
            _("One vote per household: the household representative (户代表) votes for it.")
        )
    sentences.append(
        _(
            "Each person has one voice, whichever way they vote: online, with their voting code, "
            "at the office or at the meeting."
        )
    )
    return sentences
