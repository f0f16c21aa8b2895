"""The parent's complete data as JSON (AVG access copy) and back."""
