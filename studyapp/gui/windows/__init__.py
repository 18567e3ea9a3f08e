"""Windows, dialogs and the pages they show."""
