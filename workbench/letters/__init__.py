"""Letters and decisions: templates, rendering and the four-eyes lifecycle."""
