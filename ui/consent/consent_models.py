"""Table models of the consent tab: consents (active or not) and disclosures, newest first."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ui.widgets.row_table_model import Column, RowTableModel, date_text
from workbench.consent.service import ConsentInfo, DisclosureInfo
from workbench.i18n import _


def consent_state(item: ConsentInfo) -> str:
    if item.active:
        return "Geldig"
    if item.withdrawn_on is not None:
        return "Ingetrokken"
    return "Nog niet geldig"


def consent_model(parent: QObject | None = None) -> RowTableModel:
    """Consents; one that no longer holds says so in words (not by colour alone)."""
    columns = (Column("Partner", lambda c: c.partner), Column("Doel en reikwijdte", lambda c: c.scope),
               Column("Gegeven op", lambda c: date_text(c.given_on)),
               Column("Ingetrokken op", lambda c: date_text(c.withdrawn_on)),
               Column("Status", consent_state))
    return RowTableModel(columns, parent=parent)


def disclosure_model(*, me: str = "", parent: QObject | None = None) -> RowTableModel:
    """Disclosures; who recorded one by name, or "u" for the handler at the keyboard (never by id)."""
    def who(item: DisclosureInfo) -> str:
        if me and item.recorded_by == me:
            return _("u")
        return item.recorded_by_name or _("onbekende medewerker")

    columns = (Column("Datum", lambda d: date_text(d.disclosed_on)), Column("Partner", lambda d: d.partner),
               Column("Wat is gedeeld", lambda d: d.what), Column("Grondslag", lambda d: d.basis_label),
               Column("Vastgelegd door", who))
    return RowTableModel(columns, parent=parent)

