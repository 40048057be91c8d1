"""Full-text search in the window: the Search tab, its results and hit painting."""
