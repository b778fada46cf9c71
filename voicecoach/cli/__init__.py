"""The command line: a table of subcommands, typed options, one wiring place."""
