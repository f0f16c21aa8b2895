"""The overview's read-only blocks as plain-text lines (rich-text labels made opening a case several times slower)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from ui.widgets.text_style import SUBTLE, WARNING, bold, tint
from workbench.cases.phases import PHASES, TRACKS
from workbench.cases.service import CaseDetail, TrackInfo
from workbench.consent.service import ConsentInfo
from workbench.i18n import _
from workbench.local_time import moment_text
from workbench.money import format_euro
from workbench.parties.service import PersonInfo
from workbench.payments.service import PARENT, PaymentInfo
from workbench.plans.service import ActionInfo, CommitmentInfo
from workbench.plans.vocabulary import owner_text
from workbench.policy.debt_pause import DebtPause
from workbench.story.service import KINDS, StoryEntryInfo

# A line of text and how it looks: "" (plain), "bold", "heading" (bold, set apart from the line above),
# "subtle" or "warn" (the text says why as well).
Line = tuple[str, str]


def day(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _label(text: str, style: str, *, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:  # costs a text control per label: only where a handler copies (phone, e-mail)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style in ("bold", "heading"):
        bold(label)
    elif style in ("subtle", "warn"):
        tint(label, SUBTLE if style == "subtle" else WARNING)
    return label


class Section(QGroupBox):
    """A titled block of lines; each `set_lines` replaces them (a handful of labels, rebuilt on a change)."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.setAccessibleName(title)
        self.column = QVBoxLayout(self)
        self.column.setSpacing(2)
        self._labels: list[QLabel] = []

    def set_lines(self, lines: Sequence[Line], *, empty: str) -> None:
        for label in self._labels:
            self.column.removeWidget(label)
            label.deleteLater()
        lines = lines or [(empty, "subtle")]
        self._labels = [_label(text, style) for text, style in lines]
        for n, (label, (_text, style)) in enumerate(zip(self._labels, lines, strict=True)):
            if style == "heading" and n:
                label.setContentsMargins(0, 6, 0, 0)
            self.column.addWidget(label)

    def text(self) -> str:
        return "\n".join(label.text() for label in self._labels)


class DetailsForm(QWidget):
    """Label/value pairs, for the parent's details."""

    def __init__(self, keys: Sequence[str]) -> None:
        super().__init__()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        for key in keys:
            value = _label("", "", selectable=True)
            form.addRow(QLabel(key), value)
            self.values[key] = value

    def set_values(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self.values[key].setText(value)

    def text(self) -> str:
        return "\n".join(f"{key}: {label.text()}" for key, label in self.values.items())


def bullets(texts: Sequence[str], style: str = "") -> list[Line]:
    return [(f"• {text}" if len(texts) > 1 else text, style) for text in texts]


def person(item: PersonInfo) -> str:
    return item.name.display + (f" (geboren {day(item.birth_date)})" if item.birth_date else "")


def phase_lines(case: CaseDetail, today: dt.date) -> list[Line]:
    lines: list[Line] = [(f"{case.phase_label}, sinds {day(case.phase_since)}", "bold")]
    for label, due in (("Beslistermijn", case.decision_due_on), ("Bezwaartermijn", case.objection_due_on)):
        if due:
            lines.append((f"{label}: {day(due)} — verstreken", "warn") if due < today
                         else (f"{label}: {day(due)}", ""))
    if case.history:
        lines.append(("Verloop, nieuwste eerst:", "subtle"))
        lines += [(f"{day(s.on_date)}: {PHASES.get(s.to_phase, s.to_phase)}" + (f" ({s.reason})" if s.reason else ""),
                   "") for s in reversed(case.history)]
    return lines


def track_lines(tracks: Sequence[TrackInfo]) -> list[Line]:
    """Running tracks in bold, ended ones plain."""
    lines: list[Line] = []
    for track in tracks:
        label = TRACKS.get(track.track, track.track)
        text = (f"{label}: {day(track.started_on)} tot {day(track.ended_on)}" if track.ended_on
                else f"{label}: loopt sinds {day(track.started_on)}")
        lines.append((f"• {text}" if len(tracks) > 1 else text, "" if track.ended_on else "bold"))
    return lines


def action_lines(actions: Sequence[ActionInfo]) -> list[Line]:
    lines: list[Line] = []
    for action in actions:
        who = owner_text(action.owner_label, action.owner_name)
        due = f"uiterlijk {day(action.due_on)}" if action.due_on else "geen datum"
        text = f"{action.description} ({who}, {due})" + (" — te laat" if action.overdue else "")
        lines.append((f"• {text}" if len(actions) > 1 else text, "warn" if action.overdue else ""))
    return lines


def consent_lines(consents: Sequence[ConsentInfo]) -> list[Line]:
    """Per consent: for whom and what, since when; a withdrawn one says so (a pzb'er looks here before sharing)."""
    lines: list[Line] = []
    for consent in consents:
        lines.append((_("{partner}: {scope}").format(partner=consent.partner, scope=consent.scope),
                      "heading" if consent.active else ""))
        if consent.withdrawn_on is not None:
            lines.append((_("Gegeven {given}, ingetrokken op {withdrawn}: geldt niet meer").format(
                given=day(consent.given_on), withdrawn=day(consent.withdrawn_on)), "warn"))
        elif consent.active:
            lines.append((_("Geldt sinds {given}").format(given=day(consent.given_on)), ""))
        else:
            lines.append((_("Geldt vanaf {given}").format(given=day(consent.given_on)), "subtle"))
    return lines


def commitment_lines(items: Sequence[CommitmentInfo]) -> list[Line]:
    lines: list[Line] = []
    for item in items:
        text = (f"{item.description} (toegezegd door {item.promised_by}, uiterlijk {day(item.due_on)})"
                + (" — te laat" if item.overdue else ""))
        lines.append((f"• {text}" if len(items) > 1 else text, "warn" if item.overdue else ""))
    return lines


def contact_lines(entries: Sequence[StoryEntryInfo]) -> list[Line]:
    lines: list[Line] = []
    for entry in entries:
        when = moment_text(entry.occurred_at)
        where = f", {entry.location}" if entry.location else ""
        text = " ".join(entry.text.split())
        lines.append((f"{when} · {KINDS.get(entry.kind, entry.kind)}{where}", "heading"))
        lines.append((text if len(text) <= 110 else text[:107].rstrip() + "…", "subtle"))
    return lines


def payment_lines(payments: Sequence[PaymentInfo], pause: DebtPause | None,
                  children: Sequence[PersonInfo]) -> list[Line]:
    """The pause for private debts first (when a payment started it), then every payment, oldest first."""
    names = {child.id: child.name.display for child in children}
    lines: list[Line] = []
    if pause is not None:
        lines.append((f"Pauze private schulden: {day(pause.start)} tot {day(pause.end)}", "bold"))
    for item in payments:
        to = "" if item.recipient == PARENT else f", aan {names.get(item.recipient, 'een kind')}"
        text = f"{day(item.paid_on)}: {item.kind_label} {format_euro(item.amount_cents)}{to}"
        lines.append((f"• {text}" if len(payments) > 1 else text, ""))
    return lines
