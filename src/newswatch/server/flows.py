"""A Prefect flow whose run parameters are stored without FastAPI's encoder.

Prefect stores a run's parameters through ``Flow.serialize_parameters``, which imports
FastAPI's JSON encoder: a large part of a run that finds nothing new (docs/performance.md).
The ingest flow's parameters are a folder and a secret URL (strings, None, a SecretStr,
stored as its stars), which need no encoder; anything else goes to Prefect's, as before.
"""

from __future__ import annotations

from typing import Any, ParamSpec, TypeVar

from prefect import Flow
from pydantic import SecretStr

P = ParamSpec("P")
R = TypeVar("R")


class LeanFlow(Flow[P, R]):
    """A flow whose string and secret parameters are stored as they are."""

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        if all(v is None or isinstance(v, str | SecretStr) for v in parameters.values()):
            return {key: None if v is None else str(v) for key, v in parameters.items()}
        return super().serialize_parameters(parameters)
