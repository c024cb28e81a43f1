"""Test doubles and generators shared by the tests."""
