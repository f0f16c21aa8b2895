"""The RequestGuard's JSON checks refuse exactly what a full look at every value refuses, with the same reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central.guard import MAX_NESTING, BadJSON, _check_every_value, check_json


def _verdict(check: Any, body: bytes) -> str:
    try:
        check(body)
    except BadJSON as exc:
        return str(exc)
    return "ok"


def _reference(body: bytes) -> None:
    """Every value looked at (the guard's slow path, applied to every body)."""
    _check_every_value(json.loads(body.decode("utf-8")))


def _nested(depth: int, inner: str, shape: str) -> bytes:
    opened, closed = ("[", "]") if shape == "list" else ('{"k":', "}")
    return (opened * (depth - 1) + inner + closed * (depth - 1)).encode()


@pytest.mark.parametrize("depth", [MAX_NESTING - 1, MAX_NESTING, MAX_NESTING + 1, MAX_NESTING + 2])
@pytest.mark.parametrize("inner", ["1", "[]", "{}", "[1]", '{"a": 1}', '"tekst"', '"\\u00e9"', '"\\u0000"'])
@pytest.mark.parametrize("shape", ["list", "dict"])
def test_nesting_at_the_limit_gets_the_same_verdict(depth: int, inner: str, shape: str) -> None:
    body = _nested(depth, inner, shape)
    assert _verdict(check_json, body) == _verdict(_reference, body)


@pytest.mark.parametrize("text", ['"a\\u0000b"', '"\\ud800"', '"\\uDFFF"', '"\\ud83d\\ude00"', '"\\\\u0000"',
                                  '"\\\\ud800"', '"\\u00e9"'])
def test_escapes_in_text_get_the_same_verdict(text: str) -> None:
    for body in (f'{{"a": [1, {text}]}}', f'{{{text}: 1}}', text):
        assert _verdict(check_json, body.encode()) == _verdict(_reference, body.encode()), body


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=80)


@settings(max_examples=300, deadline=None)
@given(value=_json, wrap=st.integers(min_value=0, max_value=MAX_NESTING + 2), ascii_only=st.booleans())
def test_any_json_gets_the_same_verdict(value: Any, wrap: int, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    body = ("[" * wrap + text + "]" * wrap).encode("utf-8", "surrogatepass")
    assert _verdict(check_json, body) == _verdict(_reference, body)
