"""Grader for the course "Intro to TensorFlow for Deep Learning"."""

__version__ = "0.1.0"
