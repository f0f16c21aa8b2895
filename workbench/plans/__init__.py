"""The plan of a case: needs per life domain, actions and commitments (toezeggingen)."""
