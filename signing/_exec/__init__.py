"""Wrappers of the external programs signing runs, one module each."""
