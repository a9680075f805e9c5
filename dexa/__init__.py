"""dexa: DXA bone-density reports in, guideline-based management-plan suggestions out."""

__version__ = "0.1.0"
