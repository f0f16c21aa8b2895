"""Codes used by plans: life domains (configurable), action owners and statuses, commitment statuses."""

from __future__ import annotations

from functools import cache

from workbench.errors import ValidationError
from workbench.resources import load_json

ACTION_OWNERS = {"pzb": "Pzb'er", "backoffice": "Backoffice", "gemeente": "Gemeente", "partner": "Andere partner"}
# Who keeps a promise: we (the pzb'er or the backoffice), the gemeente or another party (commitment.owner).
COMMITMENT_OWNERS = {"pzb": "Pzb'er", "backoffice": "Backoffice", "gemeente": "Gemeente", "other": "Andere partij"}
ACTION_STATUSES = {"open": "Open", "done": "Gedaan", "cancelled": "Vervallen"}
NEED_STATUSES = {"open": "Open", "met": "Opgelost", "dropped": "Vervallen"}
COMMITMENT_STATUSES = {
    "open": "Open", "kept": "Nagekomen", "kept_late": "Te laat nagekomen", "broken": "Niet nagekomen",
    "renegotiated": "Opnieuw afgesproken",
}
# Only open or renegotiated promises can still change; a kept or broken one is history.
COMMITMENT_LIVE = frozenset({"open", "renegotiated"})


@cache
def life_domains() -> dict[str, str]:
    """Code -> Dutch label, from resources/vocabulary/life_domains.json."""
    data = load_json("vocabulary", "life_domains.json")
    return {d["code"]: d["label"] for d in data["domains"]}


def check_code(value: str, allowed: dict[str, str], *, field: str, label: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{label} is onbekend: kies uit {', '.join(allowed)}.", field=field)
    return value


def owner_text(label: str, name: str) -> str:
    """Who does it, as one text: "Gemeente Zaanstad" (the name already says the kind), else "Gemeente: Zaanstad"."""
    if not name:
        return label
    return name if name.casefold().startswith(label.casefold()) else f"{label}: {name}"
