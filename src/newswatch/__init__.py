"""newswatch: keep every version of every news article and say what changed."""

from __future__ import annotations

__version__ = "0.1.0"
