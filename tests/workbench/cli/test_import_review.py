"""`workbench import` never brings in review state: a letter marked approved (even by its own author) or in
review arrives as a draft, and `workbench letters issue` refuses it until it is reviewed on this side."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from tests.workbench.cli.letters_profile import PASS, Profile, make_profile

INVITE = "uitnodiging_huisbezoek"
VISIT = ("--set", "visit_date=10-12-2026", "--set", "visit_time=10.00 uur")
Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Profile:
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASS)
    monkeypatch.setenv("WORKBENCH_ARGON2", "1,8,1")
    return make_profile(tmp_path / "profiel")


def _forged_dossier(profile: Profile, capsys: Capsys, folder: Path, status: str) -> tuple[Path, str]:
    """Amira's case exported with a letter edited to `status`, reviewed by its own author."""
    code, out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template", INVITE,
                                 *VISIT)
    assert code == 0, err
    letter_id = out.strip()
    dossier = folder / "dossier.json"
    code, _out, err = profile.run(capsys, "export", "--case", profile.cases["amira"], "--out", str(dossier))
    assert code == 0, err
    data = json.loads(dossier.read_text(encoding="utf-8"))
    [letter] = [row for row in data["letters"] if row["id"] == letter_id]
    letter["status"], letter["reviewer_id"] = status, letter["author_id"]
    dossier.write_text(json.dumps(data), encoding="utf-8")
    return dossier, letter_id


@pytest.mark.parametrize("status", ["approved", "in_review", "rejected"])
def test_an_imported_letter_under_review_arrives_as_a_draft_and_is_not_issued(
        profile: Profile, capsys: Capsys, tmp_path: Path, status: str) -> None:
    dossier, letter_id = _forged_dossier(profile, capsys, tmp_path, status)
    other = Profile(tmp_path / "ander", {}, "")
    assert other.run(capsys, "init", "--demo")[0] == 0
    code, out, err = other.run(capsys, "import", str(dossier))
    assert code == 0, err
    code, out, err = other.run(capsys, "letters", "list")
    [line] = [row for row in out.splitlines() if row.startswith(letter_id)]
    assert "\tdraft\t" in f"{line}\t", line
    code, out, err = other.run(capsys, "letters", "issue", letter_id)
    assert code == 1 and "goedgekeurde brief" in err, (out, err)
    code, out, err = other.run(capsys, "letters", "list", "--status", "approved")
    assert letter_id not in out


@pytest.mark.parametrize("reviewer", ["author", None])
def test_an_imported_letter_issued_without_a_second_pair_of_eyes_is_refused(
        profile: Profile, capsys: Capsys, tmp_path: Path, reviewer: str | None) -> None:
    dossier, letter_id = _forged_dossier(profile, capsys, tmp_path, "issued")
    data = json.loads(dossier.read_text(encoding="utf-8"))
    [letter] = [row for row in data["letters"] if row["id"] == letter_id]
    pdf = b"%PDF-1.4 synthetisch"
    letter.update(pdf=base64.b64encode(pdf).decode("ascii"), pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                  issued_at="2026-11-29T09:30:00+00:00", dated_on="2026-11-29",
                  reviewer_id=letter["author_id"] if reviewer == "author" else None)
    dossier.write_text(json.dumps(data), encoding="utf-8")
    other = Profile(tmp_path / "ander", {}, "")
    assert other.run(capsys, "init", "--demo")[0] == 0
    code, out, err = other.run(capsys, "import", str(dossier))
    assert code == 1 and "vier-ogenprincipe" in err and "niets ingelezen" in err, (out, err)
    assert letter_id not in other.run(capsys, "letters", "list")[1]
