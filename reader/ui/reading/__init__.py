"""The article and reading it: the view and its painted layers, the find bar, typography,
reading progress and the back/forward history."""
