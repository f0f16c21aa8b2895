"""The parent's BSN, masked; showing it in full is an explicit, audited action that times out."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ui.context import UiContext
from ui.operations import query
from workbench.i18n import _
from workbench.parties.service import ParentDetail


class BsnField(QWidget):
    """The BSN masked; "BSN tonen" asks the service (which audits it) and shows it for `reveal_ms`.

    Attributes:
        reveal_ms: how long the full BSN stays visible (30 seconds; tests shorten it).
        value: the BSN as shown now.
        button: shows or hides it.
        timer: masks the BSN again.

    Signals:
        revealed(): the full BSN was fetched (an audit event was written).
    """

    revealed = Signal()

    def __init__(self, ctx: UiContext, case_id: str, *, reveal_seconds: float = 30) -> None:
        super().__init__()
        self.ctx = ctx
        self.case_id = case_id
        self.parent_id = ""
        self.masked = ""
        self.reveal_ms = int(reveal_seconds * 1000)
        self.value = QLabel("")
        self.value.setAccessibleName(_("BSN"))
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(_("&BSN tonen"))
        self.button.setAccessibleName(_("BSN tonen"))
        self.button.setToolTip(_("Toont het hele BSN 30 seconden. Dit wordt vastgelegd in de historie."))
        self.button.clicked.connect(self.toggle)
        self.button.setEnabled(False)  # until the parent is known
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.conceal)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("BSN:"))
        row.addWidget(label)
        row.addWidget(self.value)
        row.addWidget(self.button)
        row.addStretch(1)

    def set_parent(self, parent: ParentDetail) -> None:
        self.parent_id, self.masked = parent.id, parent.bsn_masked
        self.button.setEnabled(True)
        if not self.timer.isActive():
            self.conceal()

    @property
    def showing(self) -> bool:
        return self.timer.isActive()

    def toggle(self) -> None:
        if self.showing:
            self.conceal()
            return
        parent_id, case_id = self.parent_id, self.case_id
        # Reading, audited by the core; the handler may go back before the answer comes (then: nothing).
        query(self, self.ctx.runner, lambda ws, uow: ws.parents.reveal_bsn(uow, parent_id, case_id=case_id)) \
            .on_success(self._on_revealed).run()

    def _on_revealed(self, bsn: str) -> None:
        self.value.setText(bsn)
        self.button.setText(_("&BSN verbergen"))
        self.button.setAccessibleName(_("BSN verbergen"))
        self.timer.start(self.reveal_ms)
        self.revealed.emit()

    def conceal(self) -> None:
        """Show the masked BSN again."""
        self.timer.stop()
        self.value.setText(self.masked)
        self.button.setText(_("&BSN tonen"))
        self.button.setAccessibleName(_("BSN tonen"))

    def hideEvent(self, event: QHideEvent) -> None:
        # Another tab, another page or the lock screen: the BSN does not stay on screen unseen.
        self.conceal()
        super().hideEvent(event)
