"""coopwatch: news about international cooperation in, a verifiable record of facts out."""

__version__ = "0.1.0"
