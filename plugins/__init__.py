"""First-party plugins. The forum core never imports from here."""
