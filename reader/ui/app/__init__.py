"""Start-up of the window: the first screen, the features installed after the first paint,
the self-test (each feature's own check) and the ending (signals, session end)."""
