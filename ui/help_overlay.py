"""F1: an opaque overlay listing the keyboard shortcuts that work right now, read from the shortcuts registered."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import QLabel, QMenu, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from workbench.i18n import _

BACKGROUND = QColor("#f4f6f8")
NO_DESCRIPTION = "?"
KEYS_ROLE = Qt.ItemDataRole.UserRole


def add_shortcut(parent: QWidget, keys: str, what: str, slot: Callable[[], object],
                 context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QShortcut:
    """A shortcut that says what it does: `what` is what the F1 list shows for it."""
    shortcut = QShortcut(QKeySequence(keys), parent)
    shortcut.setContext(context)
    shortcut.setWhatsThis(what)
    shortcut.activated.connect(slot)
    return shortcut


def _works_in(widget: object, window: QWidget) -> bool:
    """A shortcut on `widget` fires in `window` now: the widget is shown there (or is the window) and enabled."""
    if not isinstance(widget, QWidget):
        return False
    return (widget is window or widget.isVisibleTo(window)) and widget.isEnabled()


def _action_widget(action: QAction) -> QWidget | None:
    """The widget that makes an action's shortcut live: the menu bar for a menu's action, else its parent."""
    owner = action.parent()
    while isinstance(owner, QMenu):
        owner = owner.parent()
    return owner if isinstance(owner, QWidget) else None


def registered_shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(key sequence in portable text, description) of every QShortcut and QAction that works in `window` now.

    A QShortcut describes itself with `whatsThis`; a QAction with its text (mnemonic removed).
    """
    found: list[tuple[str, str]] = []
    for shortcut in window.findChildren(QShortcut):
        if shortcut.isEnabled() and not shortcut.key().isEmpty() and _works_in(shortcut.parent(), window):
            found.append((shortcut.key().toString(QKeySequence.SequenceFormat.PortableText),
                          shortcut.whatsThis() or NO_DESCRIPTION))
    for action in window.findChildren(QAction):
        if action.isEnabled() and action.isVisible() and _works_in(_action_widget(action), window):
            text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            found.extend((key.toString(QKeySequence.SequenceFormat.PortableText), text)
                         for key in action.shortcuts() if not key.isEmpty())
    return found


def _grouped(shortcuts: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """One row per description: "Alt+Left / Esc — Terug"; first appearance decides the order."""
    rows: dict[str, list[str]] = {}
    for key, what in shortcuts:
        keys = rows.setdefault(what, [])
        if key not in keys:
            keys.append(key)
    return [(keys, what) for what, keys in rows.items()]


class HelpOverlay(QWidget):
    """Covers the window with the shortcuts that work there now; F1 or Escape closes it.

    Attributes:
        table: key(s) and what they do; each key cell holds its portable key texts under Qt.UserRole.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(_("Sneltoetsen"))
        layout = QVBoxLayout(self)
        title = QLabel(_("Sneltoetsen"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1a1a1a;")
        layout.addWidget(title)
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName(_("Lijst met sneltoetsen"))
        self.table.setHorizontalHeaderLabels([_("Toets"), _("Wat het doet")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        general = QLabel(_("Verder overal: Tab en Shift+Tab naar het volgende of vorige veld, Enter om te openen of "
                           "te bevestigen, Ctrl+Tab naar het volgende tabblad, Alt met de onderstreepte letter "
                           "om een knop te kiezen."))
        general.setWordWrap(True)
        general.setStyleSheet("color: #1a1a1a;")
        layout.addWidget(general)
        close = QLabel(_("Druk op F1 of Esc om deze hulp te sluiten."))
        close.setStyleSheet("color: #1a1a1a;")
        layout.addWidget(close)
        self.hide()
        self.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), BACKGROUND)

    def refresh(self) -> None:
        """List what is registered in the window now: the open page's and case's shortcuts, not hidden ones."""
        window = self.window()
        rows = _grouped(registered_shortcuts(window))
        self.table.setRowCount(len(rows))
        for row, (keys, what) in enumerate(rows):
            shown = " / ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            item = QTableWidgetItem(shown)
            item.setData(KEYS_ROLE, keys)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def keys_listed(self) -> list[str]:
        """Every key in the table, portable text (for tests and the accessibility check)."""
        keys: list[str] = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            keys.extend(item.data(KEYS_ROLE) if item is not None else [])
        return keys

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        self.refresh()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.table.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.hide()
            return
        super().keyPressEvent(event)
