"""The kinds of contact a story entry records (shared by the story service and the sync value checks)."""

from __future__ import annotations

KINDS = {"huisbezoek": "Huisbezoek", "telefoon": "Telefoon", "e-mail": "E-mail", "brief": "Brief",
         "overleg": "Overleg", "notitie": "Notitie"}
