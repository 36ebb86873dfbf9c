"""Prefect flows: thin orchestration over ``newswatch`` (no parsing or matching here)."""
