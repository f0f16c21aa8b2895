"""The store is the bottom layer: it imports no feature package, and import-linter's contract says so too."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import workbench

CORE = Path(workbench.__file__).parent
# Modules of the core the store may use: they import nothing of a feature themselves.
ALLOWED = {"workbench.changes", "workbench.clock", "workbench.errors", "workbench.vault", "workbench.secrets"}


def _workbench_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "workbench"}


def test_the_store_imports_only_itself_and_the_plain_core() -> None:
    for path in sorted((CORE / "store").glob("*.py")):
        outside = {m for m in _workbench_imports(path) if not m.startswith("workbench.store") and m not in ALLOWED}
        assert outside == set(), f"{path.name} imports {sorted(outside)}"


def test_the_import_linter_contract_names_every_feature_package() -> None:
    config = tomllib.loads((CORE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    store = [c for c in contracts if c.get("source_modules") == ["workbench.store"]]
    assert len(store) == 1, "one import-linter contract keeps workbench.store at the bottom"
    forbidden = set(store[0]["forbidden_modules"])
    packages = {f"workbench.{p.name}" for p in CORE.iterdir() if (p / "__init__.py").exists() and p.name != "store"}
    assert packages <= forbidden, f"not in the contract: {sorted(packages - forbidden)}"
