"""The table model of the Historie tab: a case's audit events in Dutch, newest first."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ui.widgets.row_table_model import Column, RowTableModel
from workbench.audit.service import AuditEventInfo
from workbench.clock import AMSTERDAM
from workbench.i18n import _
from workbench.staff.roles import role_label

VERBS = {"view": "bekeken", "create": "aangemaakt", "update": "gewijzigd", "delete": "verwijderd",
         "reveal_bsn": "BSN getoond", "export": "geëxporteerd", "import": "geïmporteerd", "share": "gedeeld",
         "lock": "vergrendeld", "unlock": "ontgrendeld", "passwd": "wachtwoord gewijzigd",
         "rekey": "opnieuw versleuteld", "print": "afgedrukt of verstuurd", "search": "gezocht",
         "sync": "gesynchroniseerd", "purge": "van dit apparaat verwijderd (overgedragen)",
         "enroll": "gekoppeld aan de centrale", "resolve": "conflict opgelost", "reassign": "overgedragen"}
ENTITIES = {"case": "zaak", "parent": "ouder", "child": "kind", "ex_partner": "ex-partner", "story": "verhaal",
            "story_entry": "verslag", "plan": "plan", "need": "behoefte", "action": "actie",
            "commitment": "toezegging", "commitment_status_change": "status van een toezegging",
            "consent": "toestemming", "disclosure": "verstrekking", "phase_change": "fasewissel",
            "case_track": "spoor", "letter": "brief", "visit_draft": "huisbezoek", "profile": "profiel",
            "letters": "brieven van de zaak", "review_queue": "brieven ter controle", "caseload": "teamcijfers",
            "conflict": "conflict", "device": "apparaat", "team": "team", "user": "gebruiker",
            "demo_data": "demogegevens", "payment": "betaling"}
RESULTS = {"ok": "gelukt", "denied": "geweigerd", "failed": "mislukt"}


def verb_text(event: AuditEventInfo) -> str:
    return VERBS.get(event.verb, event.verb)


def what_text(event: AuditEventInfo) -> str:
    what = ENTITIES.get(event.entity, event.entity.replace("_", " "))
    return f"{what} ({event.detail})" if event.detail else what


def who_text(event: AuditEventInfo, me: str) -> str:
    """A person by name and role; `me` (this user's id) reads as "u" so the handler recognises their own work."""
    if me and event.user_id == me:
        return _("u")
    if not event.user_name:
        return _("onbekende medewerker")
    return f"{event.user_name} ({role_label(event.user_role)})" if event.user_role else event.user_name


def device_text(event: AuditEventInfo) -> str:
    if event.this_device:
        return _("dit apparaat")
    return event.device_name or _("ander apparaat")


def history_model(*, me: str = "", parent: QObject | None = None) -> RowTableModel:
    """People and devices by name, never by id."""
    columns = (Column("Tijd", lambda e: e.at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M:%S")),
               Column("Wie", lambda e: who_text(e, me)), Column("Apparaat", device_text),
               Column("Handeling", verb_text), Column("Wat", what_text),
               Column("Resultaat", lambda e: RESULTS.get(e.result, e.result)))
    return RowTableModel(columns, warn=lambda e: e.result != "ok", parent=parent)
