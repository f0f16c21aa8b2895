"""Case pages: the case view and its tabs."""
