"""`make bench`: the performance budget of DESIGN.md section 6, measured on a generated 50,000-case store."""
