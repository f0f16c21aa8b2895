"""Full-text search (FTS5) over parent names, case references and story text."""
