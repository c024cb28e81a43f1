"""Cleaning a page's working copy for OCR: upright, straight, borderless, evenly lit, clean."""
