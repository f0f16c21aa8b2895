"""Use cases for parents, their children and ex-partners; returns plain frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workbench.audit.chain import AuditEntry
from workbench.dates import parse_date
from workbench.errors import NotFound, ValidationError
from workbench.parties.models import Child, ExPartner, Parent
from workbench.parties.values import AANSPREEKVORMEN as AANSPREEKVORMEN
from workbench.parties.values import CHANNELS as CHANNELS
from workbench.parties.values import NameParts, mask_bsn, valid_bsn, valid_email, valid_phone, valid_postcode
from workbench.store.unit_of_work import UnitOfWork

MAX_NOTE = 10_000


@dataclass(frozen=True)
class PersonInfo:
    id: str
    name: NameParts
    birth_date: dt.date | None
    bsn_masked: str


@dataclass(frozen=True)
class ParentDetail:
    """A parent as shown in the case view; the BSN only masked (revealing it is audited)."""

    id: str
    name: NameParts
    bsn_masked: str
    birth_date: dt.date | None
    street: str
    house_number: str
    postcode: str
    city: str
    phone: str
    email: str
    preferred_channel: str
    language_need: str
    safety_notes: str
    children: tuple[PersonInfo, ...]
    ex_partners: tuple[PersonInfo, ...]
    aanspreekvorm: str = "neutraal"


def _text(value: Any, *, field: str, label: str, max_len: int) -> str:
    text = str(value or "").strip()
    if len(text) > max_len:
        raise ValidationError(f"{label} is te lang (maximaal {max_len} tekens).", field=field)
    return text


def validate_parent_fields(values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check and normalise parent fields; `partial` allows a subset (for updates)."""
    out: dict[str, Any] = {}
    name_keys = ("achternaam", "voorletters", "voornamen", "tussenvoegsel")
    unknown = set(values) - set(name_keys) - {
        "bsn", "birth_date", "street", "house_number", "postcode", "city", "phone", "email",
        "preferred_channel", "language_need", "safety_notes", "aanspreekvorm"}
    if unknown:
        raise ValidationError(f"Onbekend veld: {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    if not partial or "bsn" in values:
        out["bsn"] = valid_bsn(values.get("bsn", ""))
    if not partial or any(k in values for k in name_keys):
        if partial and "achternaam" not in values:
            raise ValidationError("Achternaam is verplicht bij een naamswijziging.", field="achternaam")
        name = NameParts.parse(**{k: values.get(k, "") or "" for k in name_keys})
        out.update(achternaam=name.achternaam, voorletters=name.voorletters, voornamen=name.voornamen,
                   tussenvoegsel=name.tussenvoegsel)
    if "birth_date" in values:
        out["birth_date"] = parse_date(values["birth_date"], field="birth_date", label="Geboortedatum",
                                       required=False)
        if out["birth_date"] and not dt.date(1900, 1, 1) <= out["birth_date"] <= dt.date.today():
            raise ValidationError("Geboortedatum ligt buiten het mogelijke bereik.", field="birth_date")
    if values.get("postcode"):
        out["postcode"] = valid_postcode(values["postcode"])
    for key, label, n in (("street", "Straat", 200), ("house_number", "Huisnummer", 20), ("city", "Plaats", 100),
                          ("language_need", "Taal/tolk", 100), ("safety_notes", "Veiligheidsnotitie", MAX_NOTE)):
        if key in values:
            out[key] = _text(values[key], field=key, label=label, max_len=n)
    if "phone" in values:
        out["phone"] = valid_phone(values["phone"])
    if "email" in values:
        out["email"] = valid_email(values["email"])
    if "preferred_channel" in values:
        ch = values["preferred_channel"] or "telefoon"
        if ch not in CHANNELS:
            raise ValidationError("Voorkeurskanaal is onbekend.", field="preferred_channel")
        out["preferred_channel"] = ch
    if "aanspreekvorm" in values:
        form = values["aanspreekvorm"] or "neutraal"
        if form not in AANSPREEKVORMEN:
            raise ValidationError("Aanspreekvorm is onbekend: kies mevrouw, meneer of neutraal.",
                                  field="aanspreekvorm")
        out["aanspreekvorm"] = form
    return out


def _name(row: Parent | Child | ExPartner) -> NameParts:
    return NameParts(achternaam=row.achternaam, voorletters=row.voorletters or "",
                     voornamen=row.voornamen or "", tussenvoegsel=row.tussenvoegsel or "")


def _person(row: Child | ExPartner) -> PersonInfo:
    birth = row.birth_date if isinstance(row, Child) else None
    return PersonInfo(row.id, _name(row), birth, mask_bsn(row.bsn or ""))


class ParentService:
    """Register and edit parents; every read of their details is audited as a view."""

    def _load(self, uow: UnitOfWork, parent_id: str) -> Parent:
        row = uow.session.get(Parent, parent_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze ouder bestaat niet (meer).")
        return row

    def register(self, uow: UnitOfWork, **values: Any) -> ParentDetail:
        fields = validate_parent_fields(values)
        exists = uow.session.scalar(select(Parent.id).where(Parent.bsn == fields["bsn"]))
        if exists:
            raise ValidationError("Er staat al een ouder met dit BSN in de Zaakwerkbank.", field="bsn")
        row = Parent(**fields)
        uow.session.add(row)
        try:
            uow.session.flush()
        except IntegrityError:
            raise ValidationError("Er staat al een ouder met dit BSN in de Zaakwerkbank.", field="bsn") from None
        return self._detail(uow, row)

    def update(self, uow: UnitOfWork, parent_id: str, **values: Any) -> ParentDetail:
        row = self._load(uow, parent_id)
        if "bsn" in values:
            raise ValidationError("Het BSN van een ouder kan niet worden gewijzigd.", field="bsn")
        name_keys = ("achternaam", "voorletters", "voornamen", "tussenvoegsel")
        if any(k in values for k in name_keys):
            # A change to one name part keeps the others as they are.
            values = {**{k: getattr(row, k) for k in name_keys}, **values}
        for key, value in validate_parent_fields(values, partial=True).items():
            setattr(row, key, value)
        uow.session.flush()
        return self._detail(uow, row)

    def get(self, uow: UnitOfWork, parent_id: str, *, case_id: str | None = None) -> ParentDetail:
        row = self._load(uow, parent_id)
        uow.audit(AuditEntry("view", "parent", parent_id, case_id))
        return self._detail(uow, row)

    def reveal_bsn(self, uow: UnitOfWork, parent_id: str, *, case_id: str | None = None) -> str:
        """The full BSN; an explicit, audited action."""
        row = self._load(uow, parent_id)
        uow.audit(AuditEntry("reveal_bsn", "parent", parent_id, case_id))
        return row.bsn

    def add_child(self, uow: UnitOfWork, parent_id: str, *, achternaam: str, voornamen: str = "",
                  tussenvoegsel: str = "", birth_date: str | dt.date | None = None,
                  bsn: str | None = None) -> PersonInfo:
        self._load(uow, parent_id)
        name = NameParts.parse(achternaam=achternaam, voornamen=voornamen, tussenvoegsel=tussenvoegsel)
        row = Child(parent_id=parent_id, achternaam=name.achternaam, voornamen=name.voornamen,
                    tussenvoegsel=name.tussenvoegsel, voorletters="",
                    birth_date=parse_date(birth_date, field="birth_date", label="Geboortedatum", required=False),
                    bsn=valid_bsn(bsn, field="child_bsn") if bsn else None)
        uow.session.add(row)
        uow.session.flush()
        return _person(row)

    def add_ex_partner(self, uow: UnitOfWork, parent_id: str, *, achternaam: str, voorletters: str = "",
                       tussenvoegsel: str = "", was_toeslagpartner: bool = False,
                       separated_on: str | dt.date | None = None, bsn: str | None = None) -> PersonInfo:
        self._load(uow, parent_id)
        name = NameParts.parse(achternaam=achternaam, voorletters=voorletters, tussenvoegsel=tussenvoegsel)
        row = ExPartner(parent_id=parent_id, achternaam=name.achternaam, voorletters=name.voorletters,
                        voornamen="", tussenvoegsel=name.tussenvoegsel, was_toeslagpartner=was_toeslagpartner,
                        separated_on=parse_date(separated_on, field="separated_on", label="Datum scheiding",
                                                required=False),
                        bsn=valid_bsn(bsn, field="ex_partner_bsn") if bsn else None)
        uow.session.add(row)
        uow.session.flush()
        return _person(row)

    def _detail(self, uow: UnitOfWork, row: Parent) -> ParentDetail:
        children = uow.session.scalars(
            select(Child).where(Child.parent_id == row.id, Child.deleted_at.is_(None)).order_by(Child.birth_date))
        exes = uow.session.scalars(
            select(ExPartner).where(ExPartner.parent_id == row.id, ExPartner.deleted_at.is_(None)))
        return ParentDetail(
            id=row.id, name=_name(row), bsn_masked=mask_bsn(row.bsn), birth_date=row.birth_date,
            street=row.street, house_number=row.house_number, postcode=row.postcode, city=row.city,
            phone=row.phone, email=row.email, preferred_channel=row.preferred_channel,
            language_need=row.language_need, safety_notes=row.safety_notes,
            children=tuple(_person(c) for c in children), ex_partners=tuple(_person(e) for e in exes),
            aanspreekvorm=row.aanspreekvorm or "neutraal",
        )
