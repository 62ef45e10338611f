"""Mails to the citizen about submitting: the confirmation link, the receipt, the re-sent link."""
