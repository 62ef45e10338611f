"""Mails about changes to an idea, to the citizen, followers and staff."""
