"""The statistics charts (QtCharts, imported only when a chart is first shown)."""
