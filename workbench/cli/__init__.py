"""The `workbench` command line (DESIGN.md section 8)."""
