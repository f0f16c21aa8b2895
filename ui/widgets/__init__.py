"""Generic widgets and models reused by several pages."""
