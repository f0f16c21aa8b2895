"""The PySide6 window of the Zaakwerkbank; talks to the core only through its services."""
