"""The window's unlock dialog shows a rolled-back store in plain Dutch and does not open it."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.audit.chain import AuditEntry
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASS = "correct horse battery"


def test_unlock_dialog_reports_an_older_copy_of_the_store(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.start.unlock_dialog import UnlockDialog

    folder = tmp_path / "profiel"
    ws = Workspace.create(folder, PASS, demo=True, kdf=KdfParams.cheap())
    ws.close()
    shutil.copyfile(folder / "store.db", tmp_path / "oud.db")
    ws = Workspace.open(folder, PASS, kdf=KdfParams.cheap())
    with ws.unit_of_work() as uow:
        uow.audit(AuditEntry("view", "case", "00000000-0000-4000-8000-000000000001"))
    ws.close()
    shutil.copyfile(tmp_path / "oud.db", folder / "store.db")

    dialog = UnlockDialog(folder, lambda f, p: Workspace.open(f, p, kdf=KdfParams.cheap()))
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(PASS)
    dialog.on_unlock()
    assert dialog.workspace is None and dialog.result() != dialog.DialogCode.Accepted
    assert "teruggezet" in dialog.message.text()
