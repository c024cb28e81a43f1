"""Verifying the signatures in a PDF: `run` reads each signature through pyHanko's validator
within `limits`, `verdicts` turns pyHanko's findings into sohoa's verdicts, `report` is what
the caller gets (JSON for the API, lines for the terminal)."""
