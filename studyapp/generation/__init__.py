"""Source document -> card drafts with provenance (no database, no Qt)."""
