"""Mails to the public about following an idea: the double opt-in confirmation."""
