"""One migration per schema change, named by a sequential revision id."""
