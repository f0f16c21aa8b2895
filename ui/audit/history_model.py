"""The table model of the Historie tab: a case's audit events in Dutch, newest first."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ui.widgets.row_table_model import Column, RowTableModel
from workbench.audit.service import AuditEventInfo
from workbench.i18n import N_, _
from workbench.local_time import moment_text
from workbench.staff.roles import role_label

VERBS = {
    "view": N_("bekeken"), "create": N_("aangemaakt"), "update": N_("gewijzigd"), "delete": N_("verwijderd"),
    "reveal_bsn": N_("BSN getoond"), "export": N_("geëxporteerd"), "import": N_("geïmporteerd"),
    "share": N_("gedeeld"), "lock": N_("vergrendeld"), "unlock": N_("ontgrendeld"),
    "passwd": N_("wachtwoord gewijzigd"), "rekey": N_("opnieuw versleuteld"),
    "print": N_("afgedrukt of verstuurd"), "search": N_("gezocht"), "sync": N_("gesynchroniseerd"),
    "purge": N_("van dit apparaat verwijderd (overgedragen)"), "enroll": N_("gekoppeld aan de centrale"),
    "resolve": N_("conflict opgelost"), "reassign": N_("overgedragen"),
    "anchor": N_("logboek verankerd"),
}
ENTITIES = {
    "case": N_("zaak"), "parent": N_("ouder"), "child": N_("kind"), "ex_partner": N_("ex-partner"),
    "story": N_("verhaal"), "story_entry": N_("verslag"), "plan": N_("plan"), "need": N_("behoefte"),
    "action": N_("actie"), "commitment": N_("toezegging"),
    "commitment_status_change": N_("status van een toezegging"), "consent": N_("toestemming"),
    "disclosure": N_("verstrekking"), "phase_change": N_("fasewissel"), "case_track": N_("spoor"),
    "letter": N_("brief"), "visit_draft": N_("huisbezoek"), "profile": N_("profiel"),
    "letters": N_("brieven van de zaak"), "review_queue": N_("brieven ter controle"),
    "caseload": N_("teamcijfers"), "conflict": N_("conflict"), "device": N_("apparaat"), "team": N_("team"),
    "user": N_("gebruiker"), "demo_data": N_("demogegevens"), "payment": N_("betaling"),
}
RESULTS = {"ok": N_("gelukt"), "denied": N_("geweigerd"), "failed": N_("mislukt")}


def verb_text(event: AuditEventInfo) -> str:
    return _(VERBS[event.verb]) if event.verb in VERBS else event.verb


def what_text(event: AuditEventInfo) -> str:
    what = _(ENTITIES[event.entity]) if event.entity in ENTITIES else event.entity.replace("_", " ")
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
    columns = (Column(_("Tijd"), lambda e: moment_text(e.at, seconds=True),
                      sort_key=lambda e: e.at),
               Column(_("Wie"), lambda e: who_text(e, me)), Column(_("Apparaat"), device_text),
               Column(_("Handeling"), verb_text), Column(_("Wat"), what_text),
               Column(_("Resultaat"), lambda e: _(RESULTS[e.result]) if e.result in RESULTS else e.result))
    return RowTableModel(columns, warn=lambda e: e.result != "ok", parent=parent)
