"""`workbench caseload report`: a demo profile's own caseload to PDF and CSV; bad paths refused, naming the option."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from workbench.cli import caseload_command
from workbench.demo.generator import generate
from workbench.errors import UserError
from workbench.progress import CancelToken, NoProgress
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASS = "caseload wachtwoord"


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    caseload_command.add_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(["caseload", *argv])


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profiel"
    ws = Workspace.create(folder, PASS, demo=True, kdf=KdfParams.cheap(), display_name="Sanne Pzb")
    try:
        generate(ws.store, ws.actor, cases=30, seed=3, progress=NoProgress(), cancel=CancelToken(), handlers=1)
    finally:
        ws.close()
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASS)
    monkeypatch.setenv("WORKBENCH_ARGON2", "1,8,1")
    return folder


def test_report_writes_pdf_and_csv_of_the_handlers_own_caseload(profile: Path, tmp_path: Path) -> None:
    out, table = tmp_path / "team.pdf", tmp_path / "team.csv"
    args = _args("report", "--out", str(out), "--csv", str(table), "--date", "29-11-2026")
    assert caseload_command.run(args, profile) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "Peildatum 29-11-2026" in text
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8")), delimiter=";"))
    assert [r["Behandelaar"] for r in rows] == ["Sanne Pzb"]
    assert int(rows[0]["Open zaken"]) > 0
    assert out.stat().st_mode & 0o077 == 0  # owner only: the export is not encrypted


@pytest.mark.parametrize(("argv", "field"), [
    (["report", "--out", "{tmp}/geen-map/x.pdf"], "out"),
    (["report", "--out", "{tmp}/x.txt"], "out"),
    (["report", "--out", "{tmp}"], "out"),
    (["report", "--out", "{tmp}/x.pdf", "--csv", "{tmp}/x.xlsx"], "csv"),
    (["report", "--out", "{tmp}/x.pdf", "--date", "31-02-2026"], "date"),
])
def test_bad_options_are_refused_before_anything_is_opened(tmp_path: Path, argv: list[str], field: str) -> None:
    target = tmp_path / "bestaat"
    target.mkdir()
    args = _args(*(a.replace("{tmp}", str(target)) for a in argv))
    with pytest.raises(UserError) as err:
        caseload_command.run(args, tmp_path / "geen-profiel")
    assert err.value.field == field


def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "alleen-lezen"
    locked.mkdir(mode=0o500)
    try:
        args = _args("report", "--out", str(locked / "x.pdf"))
        if caseload_command.os.access(locked, caseload_command.os.W_OK):
            pytest.skip("running as a user who may write anywhere (root)")
        with pytest.raises(UserError, match="schrijfrechten") as err:
            caseload_command.run(args, tmp_path / "geen-profiel")
        assert err.value.field == "out"
    finally:
        locked.chmod(0o700)


def test_no_subcommand_is_refused(tmp_path: Path) -> None:
    args = argparse.Namespace(caseload_command=None, out=None, csv=None, date=None)
    with pytest.raises(UserError) as err:
        caseload_command.run(args, tmp_path)
    assert err.value.field == "caseload"
