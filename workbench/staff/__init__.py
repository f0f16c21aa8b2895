"""Users and teams: who works with the workbench and in which role."""
