"""Full-text and metadata search over digitized and archived documents, diacritics folded."""
