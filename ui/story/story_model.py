"""The story as a list model (one row per entry, newest first) and the delegate that draws an entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from workbench.clock import SystemClock, today
from workbench.letters.story_source import reply_within_days
from workbench.local_time import moment_text
from workbench.story.service import KINDS, StoryEntryInfo, confirmation_state

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
CONFIRMATION_ROLE = Qt.ItemDataRole.UserRole + 2  # (text, state) of the parent's confirmation
Index = QModelIndex | QPersistentModelIndex
CONFIRMED_COLOUR = QColor("#1d6b35")
UNANSWERED_COLOUR = QColor("#8a4b00")
SUBTLE_COLOUR = QColor("#4a5561")
PREVIEW_LINES = 3
PADDING = 8


def when_text(entry: StoryEntryInfo) -> str:
    """The moment in the Netherlands, dd-mm-jjjj HH:MM."""
    return moment_text(entry.occurred_at)


def heading(entry: StoryEntryInfo) -> str:
    parts = [when_text(entry), KINDS.get(entry.kind, entry.kind)]
    if entry.location:
        parts.append(entry.location)
    return " · ".join(parts)


def present_text(entry: StoryEntryInfo) -> str:
    return f"Aanwezig: {entry.present}" if entry.present else ""


def confirmation(entry: StoryEntryInfo, *, today: dt.date, reply_days: int) -> tuple[str, str]:
    """What the parent did with this account, and its state; silence is never shown as agreement."""
    state = confirmation_state(entry, today=today, reply_within_days=reply_days)
    sent = f"{entry.sent_for_confirmation_on:%d-%m-%Y}" if entry.sent_for_confirmation_on else ""
    if state == "confirmed":
        return (f"✓ Bevestigd door ouder op {entry.confirmed_on:%d-%m-%Y}" if entry.confirmed_on
                else "✓ Bevestigd door ouder"), state
    if state == "sent":
        return f"Ter bevestiging verstuurd op {sent}; wacht op reactie van de ouder", state
    if state == "unanswered":
        return (f"Nog niet bevestigd: ter bevestiging verstuurd op {sent}, geen reactie binnen {reply_days} dagen. "
                "Neem contact op met de ouder."), state
    return "Nog niet bevestigd door ouder", state


class StoryModel(QAbstractListModel):
    """Holds the entries the service returned; DisplayRole is the whole entry as plain text (screen readers).

    Attributes:
        today: the current date in the Netherlands, to tell an unanswered request for confirmation.
    """

    def __init__(self, parent: QObject | None = None, *, today: Callable[[], dt.date] | None = None) -> None:
        super().__init__(parent)
        self._entries: tuple[StoryEntryInfo, ...] = ()
        self.today = today or (lambda: _today())

    def confirmation(self, entry: StoryEntryInfo) -> tuple[str, str]:
        return confirmation(entry, today=self.today(), reply_days=reply_within_days())

    def set_entries(self, entries: Sequence[StoryEntryInfo]) -> None:
        self.beginResetModel()
        self._entries = tuple(entries)
        self.endResetModel()

    def entries(self) -> tuple[StoryEntryInfo, ...]:
        return self._entries

    def row_of(self, entry_id: str) -> int:
        return next((n for n, e in enumerate(self._entries) if e.id == entry_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            lines = [heading(entry), present_text(entry), entry.text, self.confirmation(entry)[0]]
            return "\n".join(line for line in lines if line)
        if role == ENTRY_ROLE:
            return entry
        if role == CONFIRMATION_ROLE:
            return self.confirmation(entry)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class StoryDelegate(QStyledItemDelegate):
    """Draws an entry as a short card: heading, who was there, the first lines of the text, confirmation.

    Only the first PREVIEW_LINES lines of the text are drawn, so 500 entries lay out quickly; the full
    text is in the detail pane. Wrapped lines are cached per entry and width.
    """

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self._cache: dict[tuple[str, int, str], tuple[str, ...]] = {}

    def _width(self) -> int:
        viewport = getattr(self._view, "viewport", None)
        width = viewport().width() if callable(viewport) else self._view.width()
        return max(120, width - 2 * PADDING)

    def _preview(self, entry: StoryEntryInfo, font: QFont, width: int) -> tuple[str, ...]:
        key = (entry.id, width, font.key())
        lines = self._cache.get(key)
        if lines is None:
            if len(self._cache) > 5000:
                self._cache.clear()
            lines = _wrap(" ".join(entry.text.split()), font, width)
            self._cache[key] = lines
        return lines

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        entry: StoryEntryInfo | None = index.data(ENTRY_ROLE)
        if entry is None:
            return super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        count = 2 + len(self._preview(entry, option.font, self._width())) + (1 if entry.present else 0)
        return QSize(self._width(), count * metrics.lineSpacing() + 2 * PADDING + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry: StoryEntryInfo | None = index.data(ENTRY_ROLE)
        if entry is None:
            super().paint(painter, option, index)
            return
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        metrics = QFontMetrics(option.font)
        step = metrics.lineSpacing()
        y = rect.top()

        def line(text: str, colour: QColor, font: QFont | None = None) -> None:
            nonlocal y
            painter.setFont(font or option.font)
            painter.setPen(colour)
            painter.drawText(QRect(rect.left(), y, rect.width(), step),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
            y += step

        bold = QFont(option.font)
        bold.setBold(True)
        line(QFontMetrics(bold).elidedText(heading(entry), Qt.TextElideMode.ElideRight, rect.width()),
             text_colour, bold)
        if entry.present:
            line(metrics.elidedText(present_text(entry), Qt.TextElideMode.ElideRight, rect.width()),
                 text_colour if selected else SUBTLE_COLOUR)
        for text in self._preview(entry, option.font, self._width()):
            line(text, text_colour)
        text, state = index.data(CONFIRMATION_ROLE)
        colour = {"confirmed": CONFIRMED_COLOUR, "unanswered": UNANSWERED_COLOUR}.get(state, SUBTLE_COLOUR)
        line(metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()), text_colour if selected else colour)
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()


def _today() -> dt.date:
    return today(SystemClock())


def _wrap(text: str, font: QFont, width: int) -> tuple[str, ...]:
    """The first PREVIEW_LINES wrapped lines of `text`; the last one ends in … when text is left over."""
    # A line holds at most a few hundred characters: no need to lay out a 10,000-character report.
    sample = text[: PREVIEW_LINES * 400]
    layout = QTextLayout(sample, font)
    layout.beginLayout()
    lines: list[str] = []
    start = 0
    while len(lines) < PREVIEW_LINES:
        tl = layout.createLine()
        if not tl.isValid():
            break
        tl.setLineWidth(width)
        start, length = tl.textStart(), tl.textLength()
        lines.append(sample[start:start + length].rstrip())
        start += length
    layout.endLayout()
    if start < len(text) and lines:
        rest = text[layout.lineAt(len(lines) - 1).textStart():]
        lines[-1] = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return tuple(lines)
