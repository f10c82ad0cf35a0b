"""The person's data and its rules: pure Python, no I/O, nothing else of the project."""
