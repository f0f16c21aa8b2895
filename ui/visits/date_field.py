"""A date the handler types (dd-mm-jjjj, ddmmjjjj, d-m-jj, d-m) or picks from a calendar; empty means "no date"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from ui.widgets.text_style import WARNING, tint
from workbench.dates import parse_date
from workbench.errors import ValidationError
from workbench.i18n import _

FORMAT = "%d-%m-%Y"


class _DateLine(QLineEdit):
    """Alt+Down or F4 opens the calendar, as in a combo box."""

    calendar_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.calendar_requested.emit()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """A line edit plus a calendar button.

    QDateEdit cannot be empty (its special-value trick breaks typing), and an action may have no date,
    so the field is text that is parsed as the handler types it. On leaving the field a date is shown in
    full (`5-1` becomes `05-01-2026`), and a text that is no date is named at once in the message line under
    the field; the text itself stays, so a typed date is never dropped.

    Signals:
        changed(): the text changed.
    """

    changed = Signal()

    def __init__(self, *, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        layout = self._row = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = _DateLine()
        self.line.setPlaceholderText(_("dd-mm-jjjj"))
        self.line.setToolTip(_("Typ de datum als 15-12-2026, 15122026, 15-12-26 of 15-12 (dit jaar), "
                               "of druk op Alt+Omlaag voor de kalender."))
        self.line.setMaxLength(10)
        self.line.textChanged.connect(self.changed)
        self.line.calendar_requested.connect(self.open_calendar)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip(_("Kies een datum in de kalender (Alt+Omlaag)"))
        # One tab stop per date is enough: the calendar opens from the keyboard with Alt+Down.
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        # As wide as a date, no wider: the description next to it needs the room more.
        self.line.setFixedWidth(self.line.fontMetrics().horizontalAdvance("00-00-00000") + 16)
        layout.addWidget(self.line)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.setFocusProxy(self.line)
        self.menu: QMenu | None = None
        self._label = _("Datum")
        self.message: QLabel | None = None
        self.line.editingFinished.connect(self.check)

    def use_message_line(self, line: QLabel) -> None:
        """Say what is wrong with the typed date in `line` (the form's line under this field)."""
        self.message = line

    def check(self) -> bool:
        """Show the typed date in full, or say under the field what is wrong; returns whether it is fine."""
        try:
            day = self.date()
        except ValidationError as exc:
            self._say(exc.text())
            return False
        if day is not None and self.line.text() != day.strftime(FORMAT):
            self.set_date(day)
        if self.message is not None and self.message.text().startswith(self._label):
            self.message.hide()
        return True

    def _say(self, text: str) -> None:
        if self.message is None:  # no form line given: a line of its own, beside the field
            self.message = QLabel()
            self.message.setWordWrap(True)
            self.message.setAccessibleName(_("Melding bij {name}").format(name=self._label.lower()))
            tint(self.message, WARNING)
            self._row.addWidget(self.message, 1)
        self.message.setText(text)
        self.message.show()

    def set_accessible_name(self, name: str) -> None:
        self._label = name
        self.line.setAccessibleName(name)
        self.button.setAccessibleName(_("Kalender bij {name}").format(name=name.lower()))

    def text(self) -> str:
        return self.line.text().strip()

    def set_date(self, day: dt.date | None) -> None:
        self.line.setText(day.strftime(FORMAT) if day else "")

    def date(self) -> dt.date | None:
        """The typed date, or None when empty; raises ValidationError when the text is no date."""
        return parse_date(self.text(), field="due_on", label=self._label, required=False, today=self._today())

    def date_or_none(self) -> dt.date | None:
        """For autosave: a half-typed date is stored as no date (the finish step checks it)."""
        try:
            return self.date()
        except ValidationError:
            return None

    def open_calendar(self) -> None:
        calendar = QCalendarWidget()
        calendar.setAccessibleName(_("Kalender"))
        calendar.setGridVisible(False)
        day = self.date_or_none() or self._today()
        calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def pick(date: QDate) -> None:
            self.set_date(dt.date(date.year(), date.month(), date.day()))
            menu.close()
            self.line.setFocus()

        calendar.activated.connect(pick)
        calendar.clicked.connect(pick)
        menu.aboutToShow.connect(calendar.setFocus)
        menu.aboutToHide.connect(menu.deleteLater)
        self.menu = menu
        menu.popup(self.line.mapToGlobal(self.line.rect().bottomLeft()))
