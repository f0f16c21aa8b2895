"""Moving a parent's dossier in and out of the workbench (AVG access copy), in the background."""
