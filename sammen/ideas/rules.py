"""Who may do what with an idea (sammen.accounts.permissions registry)."""
