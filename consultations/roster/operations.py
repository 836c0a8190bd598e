"""Atomic roster operations: keeping entries, importing files, linking accounts.

Views, admin screens, the demo loader and tests call these functions; nothing else writes
roster records. Every staff action is audit-logged (`consultations.roster.<verb>`), the
viewing and exporting of roster data included, since the roster holds personal data.
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from accounts.models import ResidenceStatus
from consultations.communities.models import CommunityPage
from consultations.errors import ConsultationError
from consultations.roster.models import (
    LinkChallenge,
    LinkMethod,
    PersonStatus,
    RosterImport,
    RosterLink,
    RosterPerson,
    normalise_phone,
)
from consultations.roster.tabular import UnreadableFile, read_table
from home.sms import send_sms

CODE_DIGITS = 6
CODE_VALID_FOR = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
RATE_LIMIT_ACTION = "roster_link"
DEFAULT_RATE_LIMITS = "5/h/user,20/h/ip"
BULK_BATCH = 1000


class RosterError(ConsultationError):
    """A roster step that cannot be done; `message` is safe to show."""

    code = "roster_refused"


class LinkRefused(RosterError):
    code = "roster_link_refused"


# --- the columns of a roster file --------------------------------------------------------

# (field, label, header aliases as offices write them). The export writes the labels in
# the active language, so an exported file imports again unchanged.
COLUMNS = [
    ("full_name", _("Full name"), ("姓名", "name", "full name")),
    (
        "local_id",
        _("Local identifier"),
        (
            "身份证后六位",
            "身份证后四位",
            "身份证号后六位",
            "证件号后几位",
            "标识",
            "local id",
            "identifier",
        ),
    ),
    (
        "phone",
        _("Mobile number"),
        ("手机号", "手机", "手机号码", "联系电话", "电话", "mobile", "phone"),
    ),
    (
        "residence_status",
        _("Residence status"),
        ("户籍状态", "户籍", "人口类型", "residence", "residence status"),
    ),
    (
        "group",
        _("Villager group or building"),
        ("村民小组", "小组", "楼栋", "组别", "group", "building"),
    ),
    ("household", _("Household"), ("户号", "户", "household")),
    (
        "is_household_representative",
        _("Household representative"),
        ("户代表", "是否户代表", "户主", "representative"),
    ),
    (
        "date_of_birth",
        _("Date of birth"),
        ("出生日期", "出生年月", "生日", "date of birth", "birth"),
    ),
    ("status", _("Status"), ("状态", "居住状态", "status")),
    ("status_since", _("Status since"), ("状态日期", "变动日期", "status since")),
]
FIELD_NAMES = [name for name, _label, _aliases in COLUMNS]
REQUIRED_FIELDS = ("full_name", "local_id", "residence_status")

YES = {"是", "y", "yes", "true", "1", "√", "户代表", "户主"}
NO = {"", "否", "n", "no", "false", "0"}
REGISTERED = {"户籍", "户籍居民", "本地户籍", "registered", str(ResidenceStatus.REGISTERED)}
NON_REGISTERED = {
    "非户籍",
    "非户籍居民",
    "流动人口",
    "外来人口",
    "实有人口",
    "non-registered",
    "non registered",
    str(ResidenceStatus.NON_REGISTERED),
}
STATUS_WORDS = {
    PersonStatus.LIVING: {"", "在住", "居住", "现住", "living", "living here", "在册"},
    PersonStatus.MOVED: {"迁出", "外迁", "已迁出", "moved", "moved away"},
    PersonStatus.DECEASED: {"死亡", "去世", "已故", "deceased"},
}


def guess_mapping(headers):
    """{column index: field} from the header names, in Chinese or English."""
    lookup = {}
    for name, label, aliases in COLUMNS:
        for alias in (*aliases, name):
            lookup.setdefault(alias.strip().lower(), name)
        # An exported file has the labels of the language it was exported in.
        for language, _language_name in settings.LANGUAGES:
            with translation.override(language):
                lookup.setdefault(str(label).strip().lower(), name)
    mapping = {}
    used = set()
    for index, header in enumerate(headers):
        name = lookup.get(header.strip().lower())
        if name and name not in used:
            mapping[index] = name
            used.add(name)
    return mapping


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        # The English date format of the portal's own exports (portal/formats/en).
        return datetime.datetime.strptime(_text(value), "%d %B %Y").date()
    except ValueError:
        pass
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-")
    text = text.replace("月", "-").replace("日", "")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        raise ValidationError(_("“%(value)s” is not a date (write 1956-03-01).") % {"value": value})


def _parse_choice(value, words, label):
    text = _text(value).lower()
    for choice, accepted in words.items():
        if text in accepted:
            return choice
    raise ValidationError(
        _("“%(value)s” is not a known %(label)s.") % {"value": _text(value), "label": label}
    )


def parse_row(cells, mapping):
    """A dict of clean field values from one row, or ValidationError with the reason."""
    raw = dict.fromkeys(FIELD_NAMES)
    for index, name in mapping.items():
        raw[name] = cells[index] if index < len(cells) else None
    values = {
        "full_name": _text(raw["full_name"]),
        "local_id": _text(raw["local_id"]).upper(),
        "group": _text(raw["group"]),
        "household": _text(raw["household"]),
    }
    missing = [
        str(label) for name, label, _a in COLUMNS if name in REQUIRED_FIELDS and not raw[name]
    ]
    if not values["full_name"] or not values["local_id"] or missing:
        raise ValidationError(_("Missing: %(fields)s.") % {"fields": "、".join(missing)})
    if len(values["full_name"]) > 60 or len(values["local_id"]) > 20:
        raise ValidationError(_("The name or identifier is too long."))
    values["phone"] = normalise_phone(_text(raw["phone"]))
    values["residence_status"] = _parse_choice(
        raw["residence_status"],
        {ResidenceStatus.REGISTERED: REGISTERED, ResidenceStatus.NON_REGISTERED: NON_REGISTERED},
        gettext("residence status"),
    )
    values["is_household_representative"] = _parse_choice(
        raw["is_household_representative"],
        {True: YES, False: NO},
        gettext("household representative"),
    )
    if values["is_household_representative"] and not values["household"]:
        raise ValidationError(_("A household representative needs a household."))
    values["date_of_birth"] = _parse_date(raw["date_of_birth"])
    values["status"] = _parse_choice(raw["status"], STATUS_WORDS, gettext("status"))
    values["status_since"] = _parse_date(raw["status_since"])
    return values


# --- importing ---------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What applying a file would do: rows to add, update and reject (with reasons)."""

    to_add: list = field(default_factory=list)  # (row number, RosterPerson)
    to_update: list = field(default_factory=list)  # (row number, RosterPerson, changed fields)
    rejected: list = field(default_factory=list)  # (row number, reason)
    unchanged: int = 0

    @property
    def total(self):
        return len(self.to_add) + len(self.to_update) + len(self.rejected) + self.unchanged


def store_upload(community, upload, user):
    """Keep an uploaded file for the mapping and preview steps; check it can be read."""
    content = upload.read()
    try:
        headers, _rows = read_table(content, upload.name)
    except UnreadableFile:
        raise RosterError(
            _(
                "This file cannot be read. Upload a CSV (UTF-8 or GBK) or XLSX file with a header row."
            )
        )
    return RosterImport.objects.create(
        community=community, filename=upload.name[:200], content=content, uploaded_by=user
    ), headers


def read_import(roster_import):
    try:
        return read_table(bytes(roster_import.content), roster_import.filename)
    except UnreadableFile:
        raise RosterError(_("This file cannot be read."))


def plan_import(community, rows, mapping):
    """Compare the rows with the community's roster; writes nothing (the dry run).

    Duplicates are reported, never merged: a second row with the same name and identifier
    is rejected, and so is a second household representative of one household.
    """
    missing = [
        f for f in ("full_name", "local_id", "residence_status") if f not in mapping.values()
    ]
    if missing:
        labels = [str(label) for name, label, _a in COLUMNS if name in missing]
        raise RosterError(_("Choose a column for: %(fields)s.") % {"fields": "、".join(labels)})
    existing = {
        (p.full_name, p.local_id): p for p in RosterPerson.objects.filter(community=community)
    }
    representatives = {
        p.household: (p.full_name, p.local_id)
        for p in existing.values()
        if p.is_household_representative and p.household
    }
    plan = ImportPlan()
    seen = {}
    for number, cells in enumerate(rows, start=2):  # row 1 is the header
        if not any(_text(c) for c in cells):
            continue
        try:
            values = parse_row(cells, mapping)
        except ValidationError as error:
            plan.rejected.append((number, " ".join(error.messages)))
            continue
        key = (values["full_name"], values["local_id"])
        if key in seen:
            plan.rejected.append(
                (
                    number,
                    gettext("Duplicate of row %(row)s (same name and identifier).")
                    % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        if values["is_household_representative"]:
            holder = representatives.get(values["household"])
            if holder is not None and holder != key:
                plan.rejected.append(
                    (
                        number,
                        gettext("Household %(household)s already has a representative (%(name)s).")
                        % {"household": values["household"], "name": holder[0]},
                    )
                )
                continue
            representatives[values["household"]] = key
        person = existing.get(key)
        if person is None:
            plan.to_add.append((number, RosterPerson(community=community, **values)))
            continue
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        if person.is_household_representative and not values["is_household_representative"]:
            if representatives.get(person.household) == key:
                representatives.pop(person.household, None)
        if changed:
            for name in changed:
                setattr(person, name, values[name])
            plan.to_update.append((number, person, changed))
        else:
            plan.unchanged += 1
    return plan


def apply_import(roster_import, mapping, user):
    """Apply the file in one transaction: all of it or, if anything fails, nothing.

    Bulk inserts and updates (a 50,000-row file takes seconds). The community's row is
    locked first, so two imports into one roster run one after the other.
    """
    if roster_import.applied_at is not None:
        raise RosterError(_("This file has already been imported."))
    _headers, rows = read_import(roster_import)
    community = roster_import.community
    try:
        with transaction.atomic():
            CommunityPage.objects.select_for_update().filter(pk=community.pk).first()
            plan = plan_import(community, rows, mapping)
            # Representatives who step down are saved first, so the constraint of one per
            # household never sees two at once.
            stepping_down = [
                person
                for _n, person, changed in plan.to_update
                if "is_household_representative" in changed
                and not person.is_household_representative
            ]
            if stepping_down:
                RosterPerson.objects.bulk_update(
                    stepping_down, ["is_household_representative"], batch_size=BULK_BATCH
                )
            now = timezone.now()
            updates = [person for _n, person, _c in plan.to_update]
            for person in updates:
                person.updated_at = now
            if updates:
                # Only the columns some row changes: a re-import mostly touches one or two.
                changed_fields = sorted(
                    {name for _n, _p, changed in plan.to_update for name in changed}
                )
                RosterPerson.objects.bulk_update(
                    updates, [*changed_fields, "updated_at"], batch_size=BULK_BATCH
                )
            RosterPerson.objects.bulk_create(
                [person for _n, person in plan.to_add], batch_size=BULK_BATCH
            )
            # Whoever is no longer living here is no longer a verified resident here.
            RosterLink.objects.filter(person__community=community).exclude(
                person__status=PersonStatus.LIVING
            ).delete()
            RosterImport.objects.filter(pk=roster_import.pk).update(applied_at=now, content=b"")
            log(
                instance=community,
                action="consultations.roster.import",
                user=user,
                data={
                    "file": roster_import.filename,
                    "added": len(plan.to_add),
                    "updated": len(plan.to_update),
                    "rejected": len(plan.rejected),
                },
            )
    except IntegrityError:
        raise RosterError(
            _("The file could not be imported: it conflicts with the roster. Nothing was changed.")
        )
    return plan


# --- keeping entries ---------------------------------------------------------------------


def save_person(person, user, *, created):
    """Add or change one roster entry from the admin form, audit-logged."""
    with transaction.atomic():
        previous = None
        if not created:
            previous = RosterPerson.objects.select_for_update().get(pk=person.pk)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            raise RosterError(
                _(
                    "Another entry has the same name and identifier, or the household already "
                    "has a representative."
                )
            )
        if previous is not None and previous.community_id == person.community_id:
            if previous.status == PersonStatus.LIVING and person.status != PersonStatus.LIVING:
                # Moved away or deceased: the account is no longer a resident here.
                RosterLink.objects.filter(person=person).delete()
        log(
            instance=person,
            action="consultations.roster.add" if created else "consultations.roster.change",
            user=user,
        )
    return person


def log_roster_view(community, user, *, what="list"):
    """Reading roster data is logged like changing it."""
    log(instance=community, action="consultations.roster.view", user=user, data={"what": what})


def log_roster_export(community, user, *, file_format, count):
    log(
        instance=community,
        action="consultations.roster.export",
        user=user,
        data={"format": file_format, "rows": count},
    )


# --- linking an account ------------------------------------------------------------------


def _hash_code(code):
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def consume_rate_limit(request):
    """Count one attempt against the per-account and per-IP limits (allauth's limiter)."""
    from allauth.core.internal import ratelimit

    config = {
        RATE_LIMIT_ACTION: getattr(settings, "PORTAL_ROSTER_LINK_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    }
    usage = ratelimit.consume(
        request,
        app="consultations.roster",
        action=RATE_LIMIT_ACTION,
        config=config,
        user=request.user,
    )
    return usage is not None


def find_person(community, full_name, local_id):
    """A living, unlinked roster entry matching exactly, or None."""
    return (
        RosterPerson.objects.filter(
            community=community,
            full_name=full_name.strip(),
            local_id=local_id.strip().upper(),
            status=PersonStatus.LIVING,
        )
        .exclude(phone="")
        .first()
    )


def start_link(user, community, full_name, local_id, now=None):
    """Begin a self-service link; returns the challenge, matched or not.

    On a match the code goes by text to the number on the roster, never to one the
    resident types. Without a match a challenge is made all the same and no text is sent,
    so the resident sees the same page either way (no enumeration of the roster).
    """
    now = now or timezone.now()
    person = find_person(community, full_name, local_id)
    code = "".join(secrets.choice("0123456789") for _i in range(CODE_DIGITS))
    with transaction.atomic():
        LinkChallenge.objects.filter(user=user, used=False).update(used=True)
        challenge = LinkChallenge.objects.create(
            user=user,
            person=person,
            code_hash=_hash_code(code),
            created_at=now,
            expires_at=now + CODE_VALID_FOR,
        )
        if person is not None:
            body = gettext(
                "%(code)s is your code to confirm you are on the roster of %(community)s. "
                "It is valid for 10 minutes. If you did not ask for it, tell your community office."
            ) % {"code": code, "community": community.title}
            send_sms(person.phone, body)
    return challenge


def confirm_link(challenge, code, now=None):
    """Check the code and link the account: one account per person, one person per account.

    The two one-to-one keys of RosterLink decide when two accounts race for one person.
    """
    now = now or timezone.now()
    wrong = LinkRefused(_("The code is wrong or has expired. Ask for a new code."))
    with transaction.atomic():
        challenge = LinkChallenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.used or challenge.expires_at <= now:
            raise wrong
        if challenge.attempts >= MAX_CODE_ATTEMPTS:
            raise LinkRefused(_("Too many wrong codes. Ask for a new code."))
        matches = challenge.person_id is not None and hmac.compare_digest(
            challenge.code_hash, _hash_code(str(code).strip())
        )
        # A wrong code is counted and committed before the refusal is raised.
        LinkChallenge.objects.filter(pk=challenge.pk).update(
            attempts=challenge.attempts + (0 if matches else 1), used=matches
        )
    if not matches:
        raise wrong
    return link_account(challenge.user, challenge.person, method=LinkMethod.SMS)


def link_account(user, person, *, method, verified_by=None):
    """Link `user` to `person` and take the community and residence status from the roster."""
    if not person.is_living:
        raise LinkRefused(_("This roster entry is not marked as living here."))
    try:
        with transaction.atomic():
            if RosterLink.objects.filter(user=user).exclude(person=person).exists():
                raise LinkRefused(
                    _(
                        "This account is already linked to a roster entry. Ask the office to unlink it first."
                    )
                )
            link = RosterLink.objects.create(
                user=user, person=person, method=method, verified_by=verified_by
            )
            type(user).objects.filter(pk=user.pk).update(
                community=person.community_id, residence_status=person.residence_status
            )
            user.community_id = person.community_id
            user.residence_status = person.residence_status
            log(
                instance=person,
                action="consultations.roster.link",
                user=verified_by or user,
                data={"account": user.pk, "method": method},
            )
    except IntegrityError:
        raise LinkRefused(
            _(
                "This roster entry is already linked to another account. If that is not you, "
                "please go to your community office."
            )
        )
    return link


def unlink_account(link, user):
    with transaction.atomic():
        person = link.person
        link.delete()
        log(instance=person, action="consultations.roster.unlink", user=user)


def end_link_on_move(user):
    """The account's community changed away from its roster entry's: verify again there."""
    RosterLink.objects.filter(user=user).exclude(person__community_id=user.community_id).delete()
