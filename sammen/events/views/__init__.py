"""Views of the events app: `public` (the event pages everyone sees, and the links in the mails)
and `staff` (organising under /personale/arrangementer/)."""
