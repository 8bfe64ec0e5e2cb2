"""Studying alone: the cache and its store, hint levels, watch mode."""
