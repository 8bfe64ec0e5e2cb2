"""Subcommands of ``python -m grader`` for studying alone: each has ``run(argv, console)``."""

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
