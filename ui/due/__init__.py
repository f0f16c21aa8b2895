"""Actions and commitments due across the handler's cases."""
