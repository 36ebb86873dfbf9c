"""The one place that reads configuration: ``NEWSWATCH_*`` environment variables.

Every other module receives a :class:`Settings` (or plain values taken from it) as an
argument, so tests and flows can run side by side with different settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from newswatch.match.evidence import RewriteRule
from newswatch.match.rules import CONTAINMENT_THRESHOLD, EDIT_THRESHOLD, Thresholds
from newswatch.read.scan import DEFAULT_INCLUDE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSWATCH_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///newswatch.db",
        description="SQLAlchemy URL. SQLite needs no set-up; PostgreSQL is the scale path.",
    )
    watch_dir: Path = Field(default=Path("seeds"), description="Folder scanned for articles.")
    include: str = Field(
        default=",".join(DEFAULT_INCLUDE),
        min_length=1,
        description="Which files of the folder to read: glob patterns, comma-separated, "
        "matched without regard to case. Every type newswatch reads by default; any other "
        "file is counted as skipped and named in every run (hidden, temporary and "
        "README/LICENSE files are left out silently).",
    )
    reports_dir: Path | None = Field(
        default=None,
        description="Where run reports go. Unset, each database has its own folder (see "
        "`reports_folder`): run numbers count per database, so two databases writing into "
        "one folder would write the same file names.",
    )
    max_file_bytes: int = Field(
        default=5_000_000,
        gt=0,
        description="Files larger than this are rejected before being read whole; "
        "the longest BBC article is 25 KB, so 5 MB leaves room for any real article.",
    )
    batch_size: int = Field(
        default=2000,
        gt=0,
        description="Files per Prefect task and per database transaction. A task run costs "
        "about 30 ms of Prefect overhead, and a batch's catalog is read in a few queries "
        "however many files it holds, so larger batches cost less per file "
        "(benchmarks/scale.py).",
    )
    settle_seconds: float = Field(
        default=2.0,
        ge=0,
        description="A file whose size or mtime changed less than this many seconds ago is "
        "left for the next run, so a file still being written is not ingested half-way.",
    )
    edit_threshold: float = Field(
        default=EDIT_THRESHOLD,
        ge=0,
        le=1,
        description="Word-level body similarity (rapidfuzz Indel, 0..1) from which a text is "
        "the same story: an edit (same outlet) or a near-duplicate (other outlet). Measured "
        "by benchmarks/matching.py: BBC edits score >= 0.765, distinct stories <= 0.731.",
    )
    containment_threshold: float = Field(
        default=CONTAINMENT_THRESHOLD,
        ge=0,
        le=1,
        description="Share of the shorter text that the longer one holds in passages of four "
        "words or more, from which they are one story whatever the ratio: a partial copy, or "
        "an update that grew. BBC distinct stories on one subject reach 0.73 "
        "(benchmarks/matching.py).",
    )
    rewrite_window_hours: float = Field(
        default=RewriteRule().window_hours,
        ge=0,
        description="An outlet's text that the words do not link to an earlier one is still "
        "an edit of it when the evidence of a rewrite holds (headline, names, quotations, "
        "numbers) and both were first seen, and dated, within this many hours; 0 turns the "
        "rewrite rule off (docs/matching.md, 'Rewrites').",
    )
    workers: int = Field(
        default=2, ge=1, description="Processes used to read and parse files in parallel."
    )
    task_runner: str = Field(
        default="default",
        description="How the flow runs its batch tasks: 'default' (one after another, each "
        "parsing across `workers` processes), 'dask' (a local Dask cluster: batches in "
        "parallel) or 'dask://HOST:PORT' (an existing Dask scheduler).",
        pattern=r"^(default|dask|dask://\S+)$",
    )
    report_artifact_limit: int = Field(
        default=100,
        ge=0,
        description="Edited articles per run that get their own keyed Prefect artifact, and "
        "lines per list in the run summary artifact. The report files always hold all of them.",
    )
    event_limit: int = Field(
        default=100,
        ge=0,
        description="Article events (`newswatch.article.edited`, `.copied`) per run; edits "
        "whose numbers, quotes or headline changed go first. New articles get none, and a "
        "run that rewrites 10,000 stories must not flood the event feed (or the alerts); "
        "`newswatch.run.completed` is always sent.",
    )

    prefect_server: Literal["background", "ephemeral"] = Field(
        default="background",
        description="The Prefect server runs use when PREFECT_API_URL names none: "
        "'background' starts a local one on first use and reuses it (`newswatch server`), "
        "'ephemeral' is Prefect's temporary server, started for each run (slow; keeps no "
        "history, nothing is left running).",
    )

    prefect_idle_seconds: float = Field(
        default=3 * 3600,
        ge=0,
        description="newswatch's own Prefect server stops itself after this many seconds "
        "without a command using it (`ingest` and `serve` start it again); 0 keeps it up "
        "until `newswatch server stop`. A running `serve` uses it all along.",
    )

    prefect_port: int = Field(
        default=4200,
        ge=1,
        le=65535,
        description="Port of the Prefect server newswatch starts, when it is free (4200 is "
        "Prefect's own default); any free port otherwise.",
    )

    @property
    def include_patterns(self) -> tuple[str, ...]:
        """``include`` as the scan takes it."""
        return tuple(p.strip().lower() for p in self.include.split(",") if p.strip())

    @property
    def thresholds(self) -> Thresholds:
        """The matching thresholds these settings choose (the others keep their defaults)."""
        return Thresholds(
            edit=self.edit_threshold,
            containment=self.containment_threshold,
            rewrite=RewriteRule(window_hours=self.rewrite_window_hours),
        )

    @property
    def reports_folder(self) -> Path:
        """``reports_dir``, else a folder that belongs to the database (see
        ``store.engine.reports_folder_for``)."""
        from newswatch.store.engine import reports_folder_for

        return self.reports_dir or reports_folder_for(self.database_url)


def get_settings(**overrides: object) -> Settings:
    """Read the environment once, letting callers (CLI flags, tests) override fields."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
