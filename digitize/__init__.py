"""Turning scans and PDFs into searchable PDF/A, text, a document type and extracted data."""
