"""The sync line in the window's status bar: the driver's state, the last sync, what waits, and Nu synchroniseren."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton

from ui.operations import query
from ui.tasks import TaskRunner
from workbench.changes import Changes
from workbench.i18n import N_, _, ngettext
from workbench.local_time import moment_text, parse_moment
from workbench.sync.status import SyncStatus

SYNC_STATES = {"online": N_("Online"), "offline": N_("Offline"), "syncing": N_("Bezig met synchroniseren…"),
               "not_enrolled": N_("Niet gekoppeld aan de centrale"), "revoked": N_("Apparaat ingetrokken")}


def format_last_sync(value: str) -> str:
    """ISO time of the last sync as the handler reads it: "29-11 14:05" in local time."""
    moment = parse_moment(value)
    return value if moment is None else moment_text(moment, year=False)


def status_text(status: SyncStatus, state: str) -> str:
    """One line: the state (or that this device is not enrolled), the last sync, then the counts."""
    if not status.enrolled:
        text = _("Niet gekoppeld aan de centrale (alleen op dit apparaat)")
    else:
        text = _(SYNC_STATES.get(state, N_("Verbonden")))
    last = (_(" · laatst gesynchroniseerd {when}").format(when=format_last_sync(status.last_sync))
            if status.last_sync else "")
    pending = ngettext("{n} wijziging wacht", "{n} wijzigingen wachten", status.pending_changes)
    conflicts = ngettext("{n} conflict", "{n} conflicten", status.open_conflicts)
    held = ngettext("{n} in quarantaine", "{n} in quarantaine", status.quarantined).format(n=status.quarantined)
    waiting = " · ".join([conflicts.format(n=status.open_conflicts), *([held] if status.quarantined else [])])
    return f"{text}{last} · {pending.format(n=status.pending_changes)} · {waiting}"


class SyncStatusBar(QObject):
    """The sync line (stretching) and the Nu synchroniseren button (kept at the right) of a window's status bar.

    The figures are read again after every change, unasked: the line keeps its last figures rather than
    interrupting when reading them fails.

    Attributes:
        label: the sync line (the driver's detail as its tooltip); button: Nu synchroniseren, once enrolled.

    Signals:
        conflicts_counted(int): the open conflicts, each time the figures are read.
    """

    conflicts_counted = Signal(int)

    def __init__(self, runner: TaskRunner, window: QMainWindow) -> None:
        super().__init__(window)
        self._runner = runner
        self._state = "not_enrolled"
        self.label = QLabel("")
        self.label.setWordWrap(True)  # on a narrow window (200 % scale) the status wraps instead of being cut
        self.label.setAccessibleName(_("Synchronisatie"))
        self.button = QPushButton(_("Nu s&ynchroniseren"))
        self.button.setAccessibleName(_("Nu synchroniseren"))
        self.button.setToolTip(_("Nu synchroniseren (Ctrl+Shift+S)"))
        self.button.setEnabled(False)
        window.statusBar().addWidget(self.label, 1)
        window.statusBar().addPermanentWidget(self.button)
        runner.changes_applied.connect(self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("outbox") or not changes.empty:
            self.refresh()

    def refresh(self) -> None:
        query(self, self._runner, lambda ws, uow: ws.sync_status.status(uow)).on_success(self.show_status) \
            .quietly().run()

    def show_state(self, state: str, detail: str) -> None:
        """What the sync driver reports (online, offline, syncing…), with its detail as the tooltip."""
        self._state = state
        self.label.setToolTip(detail)
        self.refresh()

    def show_status(self, status: SyncStatus) -> None:
        self.label.setText(status_text(status, self._state))
        self.button.setEnabled(status.enrolled)
        self.conflicts_counted.emit(status.open_conflicts)

    def show_revoked(self, reason: str) -> None:
        """The device was revoked and erased: the line says so for good, the reason as its tooltip."""
        self.label.setText(_("Apparaat ingetrokken"))
        self.label.setToolTip(reason)
