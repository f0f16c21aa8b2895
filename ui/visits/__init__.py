"""The home visit: a calm full-window capture mode that autosaves into the encrypted store."""
