"""The grader's built-in checks, one directory per lesson."""
