"""Where in a dossier a problem is, in words: "Zaak UHT-2026-000001, verslag 4, tekst", never "story[3].text"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from workbench.errors import ValidationError

SECTIONS = {
    "parent": "ouder", "case": "zaakgegevens", "children": "kind", "ex_partners": "ex-partner",
    "phase_changes": "fasewissel", "tracks": "spoor", "story": "verslag", "needs": "behoefte", "actions": "actie",
    "commitments": "toezegging", "commitment_status_changes": "wijziging van een toezegging",
    "consents": "toestemming", "disclosures": "verstrekking", "letters": "brief", "payments": "betaling",
    "access_log": "regel van het toegangslog", "exported_at": "moment van export", "format": "kenmerk 'format'",
    "version": "dossierversie",
}
FIELDS = {
    "aanspreekvorm": "aanspreekvorm", "achternaam": "achternaam", "amount_cents": "bedrag", "at": "tijdstip",
    "author_id": "schrijver", "basis": "grondslag", "birth_date": "geboortedatum", "bsn": "BSN",
    "case_id": "zaak", "child_id": "kind", "city": "woonplaats", "closed_on": "datum afgesloten",
    "commitment_id": "toezegging", "confirmation_letter_id": "bevestigingsbrief",
    "confirmed_by_parent": "bevestigd door de ouder", "confirmed_on": "datum bevestiging", "consent_id": "toestemming",
    "corrects_letter_id": "verbeterde brief", "dated_on": "datum van de brief", "decision_due_on": "beslistermijn",
    "deleted_at": "verwijderd op", "description": "omschrijving", "detail": "toelichting", "device_id": "apparaat",
    "disclosed_on": "datum verstrekking", "done_on": "datum gedaan", "due_on": "uiterste datum", "email": "e-mail",
    "ended_on": "einddatum", "entity": "soort gegeven", "entity_id": "gegeven", "facts": "feiten",
    "field_values": "inhoud van de brief", "former_references": "eerdere zaaknummers",
    "first_due_on": "eerste uiterste datum", "from_phase": "vorige fase",
    "from_status": "vorige status", "given_on": "datum toestemming", "handler_id": "zaakbehandelaar",
    "house_number": "huisnummer", "id": "id", "issued_at": "verstuurd op", "kind": "soort",
    "language_need": "taal of tolk", "letter_id": "brief", "life_domain": "leefgebied", "location": "plaats",
    "need_id": "behoefte", "note": "notitie", "objection_due_on": "bezwaartermijn", "occurred_at": "moment",
    "on_date": "datum", "opened_on": "datum geopend", "owner": "eigenaar", "owner_name": "naam van de eigenaar",
    "paid_on": "datum betaald", "parent_id": "ouder", "partner": "partner", "pdf": "PDF",
    "pdf_sha256": "controlegetal van de PDF", "phase": "fase", "phase_since": "fase sinds", "phone": "telefoon",
    "policy_version": "beleidsversie", "policy_versions": "beleidsversies", "postcode": "postcode",
    "preferred_channel": "voorkeur voor contact", "present": "aanwezig", "previous_due_on": "vorige uiterste datum",
    "promised_by": "toegezegd door", "promised_on": "datum toezegging", "reason": "reden", "recipient": "ontvanger",
    "reference": "zaaknummer", "resolved_on": "datum opgelost", "result": "resultaat", "rev": "versienummer",
    "review_comment": "opmerking van de controleur", "reviewer_id": "controleur", "safety_notes": "veiligheid",
    "scope": "doel en reikwijdte", "sent_for_confirmation_on": "ter bevestiging gestuurd op", "seq": "volgnummer",
    "separated_on": "datum uit elkaar", "source_letter_id": "brief van herkomst", "started_on": "startdatum",
    "status": "status", "story_entry_ids": "gekozen verslagen", "street": "straat", "team_id": "team",
    "template_id": "sjabloon", "template_version": "sjabloonversie", "text": "tekst", "to_phase": "nieuwe fase",
    "to_status": "nieuwe status", "track": "spoor", "tussenvoegsel": "tussenvoegsel", "updated_at": "laatst gewijzigd",
    "updated_by": "gewijzigd door", "urgent_energy": "urgent: afsluiting energie",
    "urgent_eviction": "urgent: dreigende huisuitzetting", "urgent_garnishment": "urgent: beslag",
    "user_id": "medewerker", "verb": "handeling", "voorletters": "voorletters", "voornamen": "voornamen",
    "was_toeslagpartner": "was toeslagpartner", "what": "wat is gedeeld", "withdrawn_on": "datum intrekking",
}
_STEP = re.compile(r"^(?P<name>[a-z_0-9]+)(?:\[(?P<index>\d+)\])?$")


def place(path: str) -> str:
    """`story[3].text` -> "verslag 4, tekst"; a name this file does not know is quoted as it is in the file."""
    words: list[str] = []
    for n, step in enumerate(path.split(".")):
        match = _STEP.match(step)
        if match is None:
            words.append(f"‘{step}’")
            continue
        name, index = match["name"], match["index"]
        label = SECTIONS.get(name) if n == 0 else FIELDS.get(name)
        label = label or (f"veld ‘{name}’" if n else f"onderdeel ‘{name}’")
        words.append(f"{label} {int(index) + 1}" if index is not None else label)
    return ", ".join(words)


def located(path: str, message: str, reference: str | None) -> str:
    """The message with the case and the place in front: "Zaak UHT-2026-000001, ouder, BSN: BSN is ongeldig."."""
    where = place(path)
    last = where.rsplit(", ", 1)[-1]
    if "," in where and message.lower().startswith(last.lower()):
        where = where.rsplit(", ", 1)[0]  # "…, tekst: Tekst is leeg" says the field twice
    case = f"Zaak {reference}" if reference else "Dossier"
    return f"{case}, {where}: {message}"


@contextmanager
def in_case(reference: str | None) -> Iterator[None]:
    """A refusal raised inside, with a path as its field, gets the case and the place in words in front."""
    try:
        yield
    except ValidationError as exc:
        if not exc.field:
            raise
        raise ValidationError(located(exc.field, exc.message, reference), field=exc.field) from None
