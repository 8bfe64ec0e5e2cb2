"""For instructors: batch grading, merging shards, the Gradescope bundle, calibration."""
