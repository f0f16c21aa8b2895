"""The cover shown over the window while the workbench is locked: opaque, with the passphrase field, and the case
widgets taken out of the window so neither the eye nor a screen reader finds them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ui.lock import LockController
from workbench.errors import UserError
from workbench.i18n import _

COVER = QColor("#1f2d3d")
# On the cover's dark blue: white text (contrast 13:1) and a light amber error (9:1), both beyond WCAG AA.
TEXT = QColor("#ffffff")
ERROR = QColor("#ffd580")
FIELD_STYLE = ("QLineEdit { background: #ffffff; color: #1a1a1a; border: 1px solid #8fa3b8; padding: 4px; }"
               "QPushButton { background: #ffffff; color: #1a1a1a; border: 1px solid #8fa3b8; padding: 5px 14px; }"
               "QPushButton:focus, QLineEdit:focus { border: 2px solid #ffd580; }")


def _paint_text(label: QLabel, colour: QColor) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)


def _closes_for_good(widget: QWidget) -> bool:
    """Menus and tooltips; and application-modal dialogs, which run their own loop (exec) that hiding ends."""
    return (widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
            or widget.windowModality() == Qt.WindowModality.ApplicationModal)


class LockScreen(QWidget):
    """Covers its main window completely while locked.

    The window's central widget (pages, the open case, a visit) is taken out of the window, and the menu bar,
    status bar, overlays and other windows are hidden; unlocking puts everything back as it was, focus included.

    Attributes:
        passphrase, message: the field and the (error) message under it.
    """

    def __init__(self, controller: LockController, parent: QMainWindow) -> None:
        super().__init__(parent)
        self._controller = controller
        self._window = parent
        self._parked: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._focus: QWidget | None = None
        self.setObjectName("lockScreen")
        self.setAccessibleName(_("Vergrendeld"))
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        # One fixed-width column in the middle: wrapped text gets the height it needs (no clipped message).
        panel = self._panel = QWidget()
        panel.setFixedWidth(460)
        column = QVBoxLayout(panel)
        column.setSpacing(10)
        title = QLabel(_("De Zaakwerkbank is vergrendeld"))
        big = QFont(title.font())
        big.setPointSize(16)
        big.setBold(True)
        title.setFont(big)  # a font, not a style sheet: the layout measures the wrapped title with it
        explain = QLabel(_("Uw werk is opgeslagen. Vul uw Zaakwerkbank-wachtwoord in om verder te gaan."))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Wachtwoord"))
        self.passphrase.setPlaceholderText(_("Wachtwoord"))
        self.passphrase.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.message = QLabel("")
        self.message.setAccessibleName(_("Melding"))
        _paint_text(self.message, ERROR)
        bold = QFont(self.message.font())
        bold.setBold(True)
        self.message.setFont(bold)
        self.button = QPushButton(_("Ontgrendelen"))
        self.button.setAccessibleName(_("Ontgrendelen"))
        self.button.clicked.connect(self.on_unlock)
        self.passphrase.returnPressed.connect(self.on_unlock)
        for label in (title, explain, self.message):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (title, explain, self.passphrase):
            column.addWidget(w)
        column.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.message)
        for label in (title, explain):
            _paint_text(label, TEXT)
        for field in (self.passphrase, self.button):
            field.setStyleSheet(FIELD_STYLE)  # on the fields only: a sheet on the cover would restyle the labels
        # Centred by stretches, not by an alignment flag: an aligned item gets its size hint, not the height
        # its wrapped text needs at this width.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.hide()
        controller.let_through(self)
        controller.locked.connect(self.cover)
        controller.unlocked.connect(self.uncover)

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), COVER)

    def cover(self) -> None:
        window = self._window
        self._focus = window.focusWidget()  # the field last used, also when another program has the focus
        self._parked = window.takeCentralWidget()  # out of the window: not painted, not in the accessible tree
        window.statusBar().clearMessage()
        shown = [w for w in self._siblings_and_windows() if w.isVisible()]
        self._hidden = [w for w in shown if not _closes_for_good(w)]
        for w in shown:
            w.hide()
        self.setGeometry(window.rect())
        self._say("")
        self.passphrase.clear()
        self.show()
        self.raise_()
        self.passphrase.setFocus()

    def uncover(self) -> None:
        self.hide()
        self.message.setText("")
        window = self._window
        if self._parked is not None:
            window.setCentralWidget(self._parked)
            self._parked.show()
            self._parked = None
        for w in self._hidden:
            if isValid(w):
                w.show()
        self._hidden = []
        if self._focus is not None and isValid(self._focus) and self._focus.isVisible():
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None

    def _siblings_and_windows(self) -> list[QWidget]:
        """Menu bar, status bar, overlays, and every other window of the application (dialogs, menus)."""
        window = self._window
        inside = [w for w in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                  if w is not self and not w.isWindow()]
        others = [w for w in QApplication.topLevelWidgets() if w is not window and w is not self._parked]
        return inside + others

    def _say(self, text: str) -> None:
        """Show `text` under the field, the column tall enough for every wrapped line (never clipped)."""
        self.message.setText(text)
        self._panel.setFixedHeight(self._panel.heightForWidth(self._panel.width()))

    def resize_to_parent(self) -> None:
        if self.isVisible():
            self.setGeometry(self._window.rect())

    def on_unlock(self) -> None:
        text = self.passphrase.text()
        self.passphrase.clear()
        try:
            self._controller.unlock(text)
        except UserError as exc:
            self._say(exc.text())
            self.passphrase.setFocus()
