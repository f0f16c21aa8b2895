"""The kinds of payment (shared by the payment model and the sync value checks)."""

from __future__ import annotations

# What a payment was for; "catshuis" is the flat EUR 30,000 after the first check (it starts the private-debt
# pause), "voorschot" an advance, "compensatie" an earlier compensation payment, and so on.
PAYMENT_KINDS = ("catshuis", "voorschot", "compensatie", "ogs", "kindregeling", "ex_partner", "overig")
# The recipient of a payment to the parent; a payment to a child names the child's id.
PARENT = "ouder"
