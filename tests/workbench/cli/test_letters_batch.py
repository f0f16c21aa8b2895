"""`workbench letters batch`: a draft and a CONCEPT PDF per case in the phase, rendered on both cores, progress on
stderr; a case whose draft cannot be made is named, the others go on, and the exit code is 1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.workbench.cli.letters_profile import PASS, make_profile
from tests.workbench.cli.test_letters_command import INVITE, VISIT, text_of
from workbench.letters import batch
from workbench.letters.batch import INLINE_BELOW


def test_a_draft_and_a_pdf_per_case_in_the_phase(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASS)
    monkeypatch.setenv("WORKBENCH_ARGON2", "1,8,1")
    profile = make_profile(tmp_path / "profiel", extra_cases=INLINE_BELOW - 2)  # 24 letters: the pool
    noor = profile.cases["noor"]
    profile.as_colleague(lambda ws, uow: ws.parents.update(
        uow, ws.cases.get(uow, ws.cases.id_for_reference(uow, noor)).parent_id, street=""))
    pools: list[int] = []
    real_pool = batch.ProcessPoolExecutor

    def counted_pool(*args: object, **kwargs: object) -> object:
        pools.append(int(kwargs["max_workers"]))  # type: ignore[call-overload]
        return real_pool(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "ProcessPoolExecutor", counted_pool)
    out_dir = tmp_path / "brieven"
    code, out, err = profile.run(capsys, "letters", "batch", "--template", INVITE, "--phase", "eerste_toets",
                                 *VISIT, "--out", str(out_dir))

    in_phase = [ref for name, ref in profile.cases.items() if name != "kees"]  # kees is still aangemeld
    made = [line.split("\t") for line in out.splitlines()]
    assert code == 1  # one case failed
    assert sorted(ref for _id, ref, _path in made) == sorted(ref for ref in in_phase if ref != noor)
    assert f"workbench: {noor}: Adres van het bezoek is verplicht." in err.splitlines()
    assert f"1 zaak mislukt: {noor}" in err and "Brieven maken: 24/24" in err and "niet versleuteld" in err
    cores = os.cpu_count() or 1
    assert pools == ([] if cores == 1 else [min(cores, 24)])  # every core renders
    files = sorted(out_dir.iterdir())
    assert len(files) == len(made) == 24 and {Path(path) for *_rest, path in made} == set(files)
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    first = text_of(files[0])
    assert "CONCEPT" in first and "Beste mevrouw Van Nus," in first
    code, listed, _err = profile.run(capsys, "letters", "list", "--status", "draft")
    assert len(listed.splitlines()) == 24  # nothing was left behind for the case that failed
