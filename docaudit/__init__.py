"""docaudit — evidence-based audit of Vietnamese official documents."""

__version__ = "0.1.0"
