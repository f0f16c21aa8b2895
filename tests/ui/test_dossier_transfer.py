"""Export and import from the window: background tasks with progress; Cancel keeps nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.dossiers import with_story
from workbench.progress import CancelToken


def _case_and_story_count(window) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    out: list[tuple[str, int]] = []

    def work(ws, uow):  # type: ignore[no-untyped-def]
        case_id = ws.search.cases(uow, "UHT", limit=1)[0].case_id
        return case_id, len(ws.story.timeline(uow, case_id))

    window.ctx.runner.run(work, done=out.append)
    return out[0]


def test_export_then_import_more_with_cancel_first(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_id, before = _case_and_story_count(window)
    window.open_case(case_id)
    exported = tmp_path / "dossier.json"
    window.transfer.export_to(case_id, exported)
    assert "geëxporteerd" in window.statusBar().currentMessage()
    assert exported.stat().st_mode & 0o077 == 0  # only the owner may read a plaintext copy
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "zaakwerkbank-dossier" and len(data["story"]) == before

    bigger = tmp_path / "meer.json"
    bigger.write_text(json.dumps(with_story(data, 1200)), encoding="utf-8")
    cancelled = CancelToken()
    cancelled.cancel()
    window.transfer.import_from(bigger, cancel=cancelled)
    assert _case_and_story_count(window)[1] == before

    window.transfer.import_from(bigger)
    assert "ingelezen" in window.statusBar().currentMessage()
    assert _case_and_story_count(window)[1] == before + 1200
