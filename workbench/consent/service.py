"""Use cases for consent to share (toestemming) and the record of every disclosure (verstrekking)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import literal_column, select

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.clock import today
from workbench.consent.models import Consent, Disclosure
from workbench.dates import parse_date
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.staff.models import User
from workbench.store.unit_of_work import UnitOfWork

BASES = {"toestemming": "Toestemming van de ouder", "wettelijke_plicht": "Wettelijke plicht",
         "vitaal_belang": "Vitaal belang"}
MAX_PARTNER = 200
MAX_SCOPE = 500
MAX_WHAT = 1_000


@dataclass(frozen=True)
class ConsentInfo:
    """A consent; `active` means valid on the date asked about (today unless another date was given)."""

    id: str
    case_id: str
    partner: str
    scope: str
    given_on: dt.date
    withdrawn_on: dt.date | None
    active: bool


@dataclass(frozen=True)
class DisclosureInfo:
    id: str
    case_id: str
    partner: str
    what: str
    basis: str
    basis_label: str
    disclosed_on: dt.date
    consent_id: str | None
    recorded_by: str
    recorded_by_name: str = ""  # "" when this device does not know the person


@dataclass(frozen=True)
class CaseConsents:
    """All consents of a case (newest first, with today's active flag) and its disclosures, newest first."""

    case_id: str
    consents: tuple[ConsentInfo, ...]
    disclosures: tuple[DisclosureInfo, ...]


def valid_partner(value: str) -> str:
    """The partner's name with its whitespace normalised; consents match on exactly this text."""
    name = " ".join((value or "").split())
    if not name:
        raise ValidationError("Partner is verplicht: met wie worden gegevens gedeeld?", field="partner")
    if len(name) > MAX_PARTNER:
        raise ValidationError(f"Partner is te lang (maximaal {MAX_PARTNER} tekens).", field="partner")
    return name


def _text(value: str, *, field: str, label: str, max_len: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{label} is verplicht.", field=field)
    if len(text) > max_len:
        raise ValidationError(f"{label} is te lang (maximaal {max_len} tekens).", field=field)
    return text


def _past_or_today(uow: UnitOfWork, value: str | dt.date | None, *, field: str, label: str) -> dt.date:
    """A date on which something happened: defaults to today, never in the future."""
    day = parse_date(value, field=field, label=label, required=False) or today(uow.clock)
    if day > today(uow.clock):
        raise ValidationError(f"{label} ligt in de toekomst.", field=field)
    return day


def _is_active(row: Consent, day: dt.date) -> bool:
    # Withdrawn on a day means no longer valid on that day.
    return row.given_on <= day and (row.withdrawn_on is None or row.withdrawn_on > day)


def _consent_info(row: Consent, day: dt.date) -> ConsentInfo:
    return ConsentInfo(row.id, row.case_id, row.partner, row.scope, row.given_on, row.withdrawn_on,
                       _is_active(row, day))


def _disclosure_info(row: Disclosure, names: dict[str, str] | None = None) -> DisclosureInfo:
    return DisclosureInfo(row.id, row.case_id, row.partner, row.what, row.basis,
                          BASES.get(row.basis, row.basis), row.disclosed_on, row.consent_id, row.updated_by,
                          (names or {}).get(row.updated_by, ""))


class ConsentService:
    """Consents are given and withdrawn, never edited; every disclosure is recorded and audited as a share."""

    def _case(self, uow: UnitOfWork, case_id: str) -> Case:
        row = uow.session.get(Case, case_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
        return row

    def give(self, uow: UnitOfWork, case_id: str, *, partner: str, scope: str,
             given_on: str | dt.date | None = None) -> ConsentInfo:
        self._case(uow, case_id)
        row = Consent(case_id=case_id, partner=valid_partner(partner),
                      scope=_text(scope, field="scope", label="Doel en reikwijdte", max_len=MAX_SCOPE),
                      given_on=_past_or_today(uow, given_on, field="given_on", label="Datum toestemming"))
        uow.session.add(row)
        uow.session.flush()
        return _consent_info(row, today(uow.clock))

    def withdraw(self, uow: UnitOfWork, consent_id: str, *,
                 on_date: str | dt.date | None = None) -> ConsentInfo:
        row = uow.session.get(Consent, consent_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze toestemming bestaat niet (meer).")
        if row.withdrawn_on is not None:
            raise NotAllowed(f"Deze toestemming is al ingetrokken op {row.withdrawn_on:%d-%m-%Y}.")
        day = _past_or_today(uow, on_date, field="on_date", label="Datum intrekking")
        if day < row.given_on:
            raise ValidationError("Datum intrekking ligt vóór de datum waarop de toestemming is gegeven.",
                                  field="on_date")
        row.withdrawn_on = day
        uow.session.flush()
        return _consent_info(row, today(uow.clock))

    def active_consent(self, uow: UnitOfWork, case_id: str, *, partner: str,
                       on_date: str | dt.date | None = None) -> ConsentInfo | None:
        """The most recent consent for exactly this partner that is valid on the date (today by default)."""
        day = parse_date(on_date, field="on_date", label="Datum", required=False) or today(uow.clock)
        name = " ".join((partner or "").split())
        rows = uow.session.scalars(
            select(Consent).where(Consent.case_id == case_id, Consent.partner == name,
                                  Consent.deleted_at.is_(None), Consent.given_on <= day)
            .order_by(Consent.given_on.desc()))
        return next((_consent_info(r, day) for r in rows if _is_active(r, day)), None)

    def record_disclosure(self, uow: UnitOfWork, case_id: str, *, partner: str, what: str, basis: str,
                          disclosed_on: str | dt.date | None = None,
                          consent_id: str | None = None) -> DisclosureInfo:
        """Record what was shared with whom and why; sharing on consent needs a consent valid that day."""
        self._case(uow, case_id)
        name = valid_partner(partner)
        body = _text(what, field="what", label="Gedeelde gegevens", max_len=MAX_WHAT)
        if basis not in BASES:
            raise ValidationError(f"Grondslag is onbekend: kies uit {', '.join(BASES.values())}.",
                                  field="basis")
        day = _past_or_today(uow, disclosed_on, field="disclosed_on", label="Datum verstrekking")
        if basis == "toestemming":
            consent_id = self._consent_for(uow, case_id, partner=name, on_date=day, consent_id=consent_id)
        elif consent_id is not None:
            raise ValidationError("Een toestemming hoort alleen bij de grondslag toestemming.",
                                  field="consent_id")
        row = Disclosure(case_id=case_id, consent_id=consent_id, partner=name, what=body, basis=basis,
                         disclosed_on=day)
        uow.session.add(row)
        uow.session.flush()
        uow.audit(AuditEntry("share", "disclosure", row.id, case_id))
        return _disclosure_info(row)

    def _consent_for(self, uow: UnitOfWork, case_id: str, *, partner: str, on_date: dt.date,
                     consent_id: str | None) -> str:
        """The consent a sharing rests on: the one the handler named if it covers it, else the current one."""
        if consent_id is None:
            found = self.active_consent(uow, case_id, partner=partner, on_date=on_date)
            consent_id = found.id if found else None
        else:
            row = uow.session.get(Consent, consent_id)
            if (row is None or row.deleted_at is not None or row.case_id != case_id or row.partner != partner
                    or not _is_active(row, on_date)):
                consent_id = None
        if consent_id is None:
            raise NotAllowed(f"Er is geen geldige toestemming om gegevens te delen met {partner}.")
        return consent_id

    def for_case(self, uow: UnitOfWork, case_id: str) -> CaseConsents:
        """Consents and disclosures of a case; reading them is audited as one view."""
        self._case(uow, case_id)
        day = today(uow.clock)
        consents = uow.session.scalars(
            select(Consent).where(Consent.case_id == case_id, Consent.deleted_at.is_(None))
            .order_by(Consent.given_on.desc(), literal_column("consent.rowid").desc()))
        disclosures = uow.session.scalars(
            select(Disclosure).where(Disclosure.case_id == case_id, Disclosure.deleted_at.is_(None))
            .order_by(Disclosure.disclosed_on.desc(), Disclosure.updated_at.desc(),
                      literal_column("disclosure.rowid").desc()))
        uow.audit(AuditEntry("view", "consent", case_id, case_id))
        shared = list(disclosures)
        names = {user_id: name for user_id, name in uow.session.execute(
            select(User.id, User.display_name).where(User.id.in_({d.updated_by for d in shared})))}
        return CaseConsents(case_id, tuple(_consent_info(c, day) for c in consents),
                            tuple(_disclosure_info(d, names) for d in shared))
