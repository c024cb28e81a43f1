"""The document type model: features, a trainable classifier, its training corpus and file."""
