"""Typed user settings with defaults, persisted as plain JSON in the profile (no personal data in them)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import ValidationError

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Option:
    """One setting: key, Dutch title, default and allowed range or choices."""

    key: str
    title: str
    default: Any
    choices: tuple[Any, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def check(self, value: Any) -> Any:
        if isinstance(self.default, int) and not isinstance(self.default, bool):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValidationError(f"{self.title} moet een heel getal zijn.", field=self.key)
            if (self.minimum is not None and value < self.minimum) or (
                    self.maximum is not None and value > self.maximum):
                raise ValidationError(f"{self.title} moet tussen {self.minimum} en {self.maximum} liggen.",
                                      field=self.key)
        if self.choices and value not in self.choices:
            raise ValidationError(f"{self.title}: kies uit {', '.join(map(str, self.choices))}.", field=self.key)
        return value


OPTIONS: dict[str, Option] = {o.key: o for o in (
    Option("idle_minutes", "Automatisch vergrendelen na (minuten)", 5, minimum=1, maximum=60),
    Option("language", "Taal", "nl", choices=("nl", "en")),
    Option("no_contact_days", "Geen contact sinds (dagen)", 30, minimum=1, maximum=365),
    Option("autosave_seconds", "Huisbezoek automatisch opslaan (seconden)", 5, minimum=1, maximum=60),
)}


class Settings:
    """Values for `OPTIONS`, read from and written to `settings.json` in the profile folder."""

    def __init__(self, folder: Path | None) -> None:
        self._path = folder / SETTINGS_FILE if folder else None
        self._values: dict[str, Any] = {}
        if self._path and self._path.exists():
            try:
                raw = json.loads(self._path.read_text(encoding="utf-8"))
            except ValueError:
                raw = {}  # a damaged settings file falls back to the defaults; it holds nothing precious
            for key, value in raw.items() if isinstance(raw, dict) else ():
                if key in OPTIONS:
                    try:
                        self._values[key] = OPTIONS[key].check(value)
                    except ValidationError:
                        continue

    def get(self, key: str) -> Any:
        return self._values.get(key, OPTIONS[key].default)

    def set(self, key: str, value: Any) -> None:
        self._values[key] = OPTIONS[key].check(value)
        if self._path:
            tmp = self._path.with_name(SETTINGS_FILE + ".tmp")
            tmp.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self._path)
