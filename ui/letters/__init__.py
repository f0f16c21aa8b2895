"""Letters in the window: the Brieven tab's parts, the letter wizard with its PDF preview, the Te beoordelen page."""
