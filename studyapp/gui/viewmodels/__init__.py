"""View-models: QObject and item-model adapters over the services; no widgets."""
