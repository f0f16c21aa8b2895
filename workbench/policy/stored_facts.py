"""CaseFacts to JSON and back, so a letter can keep the facts its amounts were computed from.

Generic over the dataclasses in facts.py (nested dataclasses, tuples, dates), so a new fact field needs no code
here. The decision date is not stored: it is the letter date, set again when the letter is issued.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

from workbench.errors import ValidationError
from workbench.policy import facts as facts_module
from workbench.policy.facts import CaseFacts

_DECISION_DATE = "decision_date"


def facts_to_json(facts: CaseFacts) -> dict[str, Any]:
    """The facts as JSON data, without the decision date."""
    data = _to_json(facts)
    assert isinstance(data, dict)
    data.pop(_DECISION_DATE, None)
    return data


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def facts_from_json(data: dict[str, Any], *, decision_date: dt.date) -> CaseFacts:
    """The facts back, dated `decision_date`; ValidationError (field "facts") when the stored data is unusable."""
    try:
        built = _from_json(CaseFacts, {**data, _DECISION_DATE: decision_date.isoformat()})
    except (TypeError, ValueError, KeyError) as exc:
        raise ValidationError(f"De opgeslagen gegevens voor de berekening zijn onleesbaar ({type(exc).__name__}).",
                              field="facts") from None
    assert isinstance(built, CaseFacts)
    return built


def _from_json(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return None if value is None else _from_json(options[0], value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_from_json(item, v) for v in value)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind, vars(facts_module))
        names = {f.name for f in dataclasses.fields(kind) if f.init}
        unknown = set(value) - names
        if unknown:
            raise KeyError(sorted(unknown)[0])
        factory: Any = kind
        built: Any = factory(**{name: _from_json(hints[name], v) for name, v in value.items()})
        return built
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value
