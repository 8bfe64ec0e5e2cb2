"""The learner process: where submitted code is imported and called."""
