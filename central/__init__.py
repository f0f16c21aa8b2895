"""The reference central system that devices sync with (FastAPI; see DESIGN.md section 4)."""
