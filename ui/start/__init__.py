"""Starting the workbench: first-run setup and the unlock dialog."""
