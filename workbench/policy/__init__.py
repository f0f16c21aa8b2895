"""Herstel rules as dated, versioned data: the tables (versions), the input facts, and the calculation (engine)."""
