"""Subcommands of ``python -m grader`` for studying alone: each has ``run(argv, console)``."""
