"""The Zaakwerkbank test suite; mirrors the package layout."""
