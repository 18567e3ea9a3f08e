"""Plain values and rules: no database, no Qt, no I/O."""
