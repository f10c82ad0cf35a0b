"""The `nargis` command line."""
