"""Renderers: each takes a ``RunResult`` and produces one output format."""
