"""The grading core: checks' metadata, the pytest plugin, model descriptions."""
