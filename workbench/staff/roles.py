"""What people call the roles: the role keys ("team_lead") are never shown, their Dutch names are."""

from __future__ import annotations

ROLE_LABELS = {"handler": "Persoonlijk zaakbehandelaar", "team_lead": "Teamleider", "reviewer": "Controleur"}


def role_label(role: str) -> str:
    """The Dutch name of a role key ("team_lead" -> "Teamleider"); an unknown key reads as "Medewerker"."""
    return ROLE_LABELS.get(str(role), "Medewerker")


def role_choices() -> str:
    """The role keys with their names, for a command-line help or error: "handler (Persoonlijk ...), ..."."""
    return ", ".join(f"{key} ({label})" for key, label in ROLE_LABELS.items())
