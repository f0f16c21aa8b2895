"""Dated, versioned policy tables (resources/policy/*.json): loading, validation and look-up by date."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from workbench.dates import dutch_date
from workbench.errors import BugError, UserError
from workbench.policy.schema import RULES, AgeTable, ParamValue, Term, parse_date, parse_parameters
from workbench.resources import resource_path

_TABLE_KEYS = {"rule", "about", "date_axis", "versions"}
_VERSION_KEYS = {"id", "valid_from", "valid_until", "title", "legal_basis", "sources", "note", "parameters"}
_ONE_DAY = dt.timedelta(days=1)
T = TypeVar("T")


class NotInForce(UserError):
    """No version of a rule covers the date asked for, e.g. a decision date before the first version."""


@dataclass(frozen=True)
class PolicyVersion:
    """One dated version of one rule; every amount, percentage and term a calculation uses comes from here.

    Attributes:
        rule: the rule this version belongs to (`compensatie`, `bezwaartermijn`, ...; see schema.RULES).
        id: stable id recorded with each calculation and letter, e.g. `wht-2022-11-05` (at most 40 characters).
        valid_from: the first date this version applies to (inclusive).
        valid_until: the last date this version applies to (inclusive), or None while it has no end.
        title: Dutch name of the version.
        legal_basis: Dutch text naming the law or policy, fit to print in a beschikking.
        sources: public URLs the values were checked against.
        note: what was verified ([V]), what is inference ([I]), and the readings chosen.
        parameters: the validated values by name; read them with the typed accessors below.
        source: the file the version was read from (for error messages).
    """

    rule: str
    id: str
    valid_from: dt.date
    valid_until: dt.date | None
    title: str
    legal_basis: str
    sources: tuple[str, ...]
    note: str
    parameters: Mapping[str, ParamValue] = field(hash=False)
    source: str = field(default="", compare=False)

    def covers(self, day: dt.date) -> bool:
        """Whether `day` falls within this version's dates."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def cents(self, name: str) -> int:
        """An amount in whole cents."""
        return self._get(name, int)

    def count(self, name: str) -> int:
        """A whole number (weeks, an age)."""
        return self._get(name, int)

    def percent(self, name: str) -> Fraction:
        """A percentage as an exact fraction: `25` means 25%."""
        return self._get(name, Fraction)

    def day(self, name: str) -> dt.date:
        """A date parameter."""
        return self._get(name, dt.date)

    def age_table(self, name: str) -> AgeTable:
        """An age table (kindregeling)."""
        return self._get(name, AgeTable)

    def term(self, name: str) -> Term:
        """A term (weeks, years or a fixed end)."""
        return self._get(name, Term)

    def _get(self, name: str, kind: type[T]) -> T:
        value = self.parameters.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BugError(f"policy version {self.id!r}: parameter {name!r} is missing or not a {kind.__name__}")
        return value


class PolicyBook:
    """All versions of all rules, checked so that each date has at most one version per rule.

    Versions of one rule must follow on day by day: the next `valid_from` is the day after the previous
    `valid_until`, and only the last may be open-ended. Overlaps and gaps are refused with a BugError.
    """

    def __init__(self, versions: Iterable[PolicyVersion]) -> None:
        by_rule: dict[str, list[PolicyVersion]] = {}
        by_id: dict[str, PolicyVersion] = {}
        for version in versions:
            if version.id in by_id:
                raise BugError(f"{version.source}: id {version.id!r} is used twice "
                               f"(also in {by_id[version.id].source})")
            by_id[version.id] = version
            by_rule.setdefault(version.rule, []).append(version)
        for rule_versions in by_rule.values():
            rule_versions.sort(key=lambda v: v.valid_from)
            for before, after in itertools.pairwise(rule_versions):
                _check_follows(before, after)
        self._by_rule = {rule: tuple(vs) for rule, vs in sorted(by_rule.items())}
        self._by_id = by_id

    def in_force(self, rule: str, on: dt.date) -> PolicyVersion:
        """The one version of `rule` that applies on `on`; NotInForce (a UserError) when none does."""
        versions = self._by_rule.get(rule)
        if versions is None:
            raise BugError(f"the policy book has no table for rule {rule!r}")
        for version in versions:
            if version.covers(on):
                return version
        raise NotInForce(f"Voor {dutch_date(on)} is geen versie van de regel '{versions[0].title}' vastgelegd. "
                         "Controleer de datum.")

    def versions(self, rule: str | None = None) -> tuple[PolicyVersion, ...]:
        """All versions, by rule name and then date; or only those of `rule`."""
        if rule is not None:
            return self._by_rule.get(rule, ())
        return tuple(v for vs in self._by_rule.values() for v in vs)

    def rules(self) -> tuple[str, ...]:
        """The rule names this book has tables for."""
        return tuple(self._by_rule)

    def by_id(self, version_id: str) -> PolicyVersion:
        """The version a letter or calculation recorded; BugError if the id is unknown."""
        try:
            return self._by_id[version_id]
        except KeyError:
            raise BugError(f"unknown policy version {version_id!r}") from None


def parse_tables(tables: Mapping[str, Any]) -> PolicyBook:
    """A book from decoded JSON tables keyed by file name (`compensatie.json`); BugError naming file and field."""
    return PolicyBook(v for source, data in tables.items() for v in parse_table(data, source=source))


def parse_table(data: Any, *, source: str) -> tuple[PolicyVersion, ...]:
    """The versions in one decoded table; `source` must be `<rule>.json`."""
    if not isinstance(data, dict):
        raise BugError(f"{source}: expected an object with rule and versions")
    unknown = sorted(set(data) - _TABLE_KEYS)
    if unknown:
        raise BugError(f"{source}: {unknown[0]}: unknown key")
    rule = data.get("rule")
    if rule not in RULES:
        raise BugError(f"{source}: rule: unknown rule {rule!r}; known: {', '.join(RULES)}")
    if source != f"{rule}.json":
        raise BugError(f"{source}: rule: the table for {rule!r} must be in {rule}.json")
    raw_versions = data.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        raise BugError(f"{source}: versions: expected a non-empty list")
    return tuple(_parse_version(raw, rule, f"{source}: versions[{i}]", source) for i, raw in enumerate(raw_versions))


def load_book(directory: Path | None = None) -> PolicyBook:
    """Read every `*.json` in `directory` (default resources/policy/); all rules in schema.RULES must be there."""
    folder = directory if directory is not None else resource_path("policy")
    tables: dict[str, Any] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            tables[path.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BugError(f"{path.name}: cannot be read as JSON: {exc}") from exc
    book = parse_tables(tables)
    missing = [rule for rule in RULES if rule not in book.rules()]
    if missing:
        raise BugError(f"{folder}: no table for rules {', '.join(missing)}")
    return book


@lru_cache(maxsize=1)
def default_book() -> PolicyBook:
    """The shipped tables, read once; the book is immutable so sharing it is safe."""
    return load_book()


def _parse_version(raw: Any, rule: str, where: str, source: str) -> PolicyVersion:
    if not isinstance(raw, dict):
        raise BugError(f"{where}: expected an object")
    unknown = sorted(set(raw) - _VERSION_KEYS)
    if unknown:
        raise BugError(f"{where}.{unknown[0]}: unknown key")
    missing = sorted(_VERSION_KEYS - set(raw))
    if missing:
        raise BugError(f"{where}.{missing[0]}: missing")
    version_id = _text(raw["id"], f"{where}.id")
    if len(version_id) > 40 or not version_id.isascii() or " " in version_id:
        raise BugError(f"{where}.id: {version_id!r} must be at most 40 ASCII characters without spaces")
    valid_from = parse_date(raw["valid_from"], f"{where}.valid_from")
    valid_until = None if raw["valid_until"] is None else parse_date(raw["valid_until"], f"{where}.valid_until")
    if valid_until is not None and valid_until < valid_from:
        raise BugError(f"{where}.valid_until: {valid_until} is before valid_from {valid_from}")
    sources = raw["sources"]
    if not isinstance(sources, list) or not sources:
        raise BugError(f"{where}.sources: expected a non-empty list of URLs")
    urls = tuple(_text(url, f"{where}.sources[{i}]") for i, url in enumerate(sources))
    return PolicyVersion(
        rule=rule, id=version_id, valid_from=valid_from, valid_until=valid_until,
        title=_text(raw["title"], f"{where}.title"), legal_basis=_text(raw["legal_basis"], f"{where}.legal_basis"),
        sources=urls, note=_text(raw["note"], f"{where}.note"),
        parameters=MappingProxyType(parse_parameters(rule, raw["parameters"], f"{where}.parameters")),
        source=source,
    )


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise BugError(f"{where}: expected non-empty text")
    return raw


def _check_follows(before: PolicyVersion, after: PolicyVersion) -> None:
    where = f"{after.source}: rule {after.rule!r}"
    if before.valid_until is None or before.valid_until >= after.valid_from:
        end = "with no end" if before.valid_until is None else f"until {before.valid_until}"
        raise BugError(f"{where}: versions {before.id!r} ({before.valid_from} {end}) and {after.id!r} "
                       f"(from {after.valid_from}) overlap; each date must have exactly one version")
    if before.valid_until + _ONE_DAY != after.valid_from:
        raise BugError(f"{where}: gap between {before.id!r} (until {before.valid_until}) and {after.id!r} "
                       f"(from {after.valid_from}): no version for "
                       f"{before.valid_until + _ONE_DAY} to {after.valid_from - _ONE_DAY}")
