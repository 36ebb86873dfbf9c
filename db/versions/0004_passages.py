"""passages: winnowed passage keys replace the MinHash LSH bands

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 12:00:00

MinHash LSH finds texts by their Jaccard similarity as wholes, so it missed partial copies
and updates that grew (see fingerprint.py). Winnowed passage keys find both. Existing
versions get their keys computed from their stored text (``versions.signature`` now holds
the keys), written in key order into ``passages``; the LSH tables go.

``store_state`` keeps up to which version ``passages`` is merged (the newer versions' keys
are read from the versions themselves: see index.py), and ``runs.batches_written`` lets a run's batches, matched in parallel,
be written in order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CHUNK = 2000


def _table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("passage_key", sa.BigInteger(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f(f"fk_{name}_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("passage_key", "version_id", name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    from newswatch.match.fingerprint import normalise, passage_keys, word_hashes

    _table("passages")
    bind = op.get_bind()
    versions = sa.table(
        "versions",
        sa.column("id", sa.Integer),
        sa.column("headline", sa.Text),
        sa.column("body", sa.Text),
        sa.column("signature", sa.LargeBinary),
    )
    passages = sa.table(
        "passages",
        sa.column("passage_key", sa.BigInteger),
        sa.column("version_id", sa.Integer),
        sa.column("key_count", sa.Integer),
    )
    last = 0
    rows: list[dict[str, int]] = []
    while True:
        chunk = bind.execute(
            sa.select(versions.c.id, versions.c.headline, versions.c.body)
            .where(versions.c.id > last)
            .order_by(versions.c.id)
            .limit(_CHUNK)
        ).all()
        if not chunk:
            break
        updates = []
        for version_id, headline, body in chunk:
            keys = passage_keys(word_hashes(normalise(headline, body.split("\n\n"))))
            updates.append({"vid": version_id, "sig": _signature(keys)})
            rows.extend(
                {"passage_key": k, "version_id": version_id, "key_count": len(keys)} for k in keys
            )
        bind.execute(
            versions.update()
            .where(versions.c.id == sa.bindparam("vid"))
            .values(signature=sa.bindparam("sig")),
            updates,
        )
        last = chunk[-1][0]
    rows.sort(key=lambda r: (r["passage_key"], r["version_id"]))
    for start in range(0, len(rows), 50_000):
        bind.execute(passages.insert(), rows[start : start + 50_000])
    op.drop_table("lsh_recent")
    op.drop_table("lsh_buckets")
    op.create_table(
        "store_state",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_store_state")),
    )
    op.execute(
        "INSERT INTO store_state (name, value) "
        "SELECT 'passages_merged_through', coalesce(max(id), 0) FROM versions"
    )
    with op.batch_alter_table("runs") as batch:
        batch.add_column(
            sa.Column("batches_written", sa.Integer(), nullable=False, server_default="0")
        )


def _signature(keys: tuple[int, ...]) -> bytes:
    import numpy as np

    return np.asarray(keys, dtype="<i8").tobytes()


def downgrade() -> None:
    raise NotImplementedError(
        "MinHash signatures cannot be rebuilt from passage keys; restore a backup instead"
    )
