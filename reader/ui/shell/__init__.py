"""The window's frame: MainWindow, the Feature base and FeatureHost, the menus and toolbar
(window_actions), keyboard, accessibility and the small dialogs (about, preferences, shortcuts)."""
