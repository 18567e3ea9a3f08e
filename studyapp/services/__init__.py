"""Use cases over the collection: one transaction per public method, domain values out."""
