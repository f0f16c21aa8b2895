"""After a crash or a flat battery: offer the newest unfinished home visit back, where the handler left it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.operations import query
from ui.tasks import TaskRunner
from workbench.i18n import _
from workbench.local_time import moment_text
from workbench.visits.service import VisitDraftInfo


def offer_unfinished_visit(parent: QWidget, runner: TaskRunner, *, resume: Callable[[str], None],
                           shown: Callable[[QMessageBox], None]) -> None:
    """Ask (non-modal) whether to go on with the newest unfinished visit; none: nothing. Yes: `resume(draft_id)`."""

    def ask(drafts: list[VisitDraftInfo]) -> None:
        if not drafts:
            return
        draft = drafts[0]
        box = QMessageBox(QMessageBox.Icon.Question, _("Huisbezoek niet afgesloten"),
                          _("Het huisbezoek bij zaak {reference} is niet afgesloten. Het is het laatst opgeslagen op "
                            "{saved}. Wilt u verder gaan waar u was?").format(reference=draft.case_reference,
                                                                              saved=moment_text(draft.saved_at)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
        go_on = box.button(QMessageBox.StandardButton.Yes)
        go_on.setText(_("Verder gaan"))
        box.button(QMessageBox.StandardButton.No).setText(_("Later"))
        box.setAccessibleName(_("Huisbezoek niet afgesloten"))
        box.buttonClicked.connect(lambda button: resume(draft.id) if button is go_on else None)
        shown(box)
        box.open()

    query(parent, runner, lambda ws, uow: ws.visits.unfinished(uow)).on_success(ask).run()
