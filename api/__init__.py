"""The product's entry points for people: the command line and the HTTP service."""
