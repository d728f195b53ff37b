"""Opening evidence files safely: confinement, PDF/DOCX recognition, scans, encryption."""

from .confine import Confined, confine
from .inspect import gather, inspect_bytes

__all__ = ["Confined", "confine", "gather", "inspect_bytes"]
