"""What is kept on disk: paths, saved progress, history, the event log."""
