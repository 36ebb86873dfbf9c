"""line_counts: how many of an outlet's articles print each line (furniture)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 12:00:00

Footers, section names and bylines that many unrelated stories of one outlet print are
recognised from the database (see match/furniture.py). Each version now carries its line
keys (``versions.line_keys``); ``line_counts`` holds the lines that the articles up to the
passage index's merge point print twice or more, with how many print them. Existing
versions get their line keys computed from their stored text; the versions after the merge
point are counted by each matching process, as their passage keys are indexed.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CHUNK = 2000


def upgrade() -> None:
    from newswatch.match.fingerprint import line_keys, pack

    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("line_keys", sa.LargeBinary(), nullable=True))
    op.create_table(
        "line_counts",
        sa.Column("line_key", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("line_key", name=op.f("pk_line_counts")),
        sqlite_with_rowid=False,
    )
    bind = op.get_bind()
    versions = sa.table(
        "versions",
        sa.column("id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("outlet", sa.Text),
        sa.column("body", sa.Text),
        sa.column("line_keys", sa.LargeBinary),
    )
    merged = bind.execute(
        sa.text("SELECT value FROM store_state WHERE name = 'passages_merged_through'")
    ).scalar_one()
    counts: Counter[int] = Counter()
    last = 0
    while True:
        chunk = bind.execute(
            sa.select(versions.c.id, versions.c.number, versions.c.outlet, versions.c.body)
            .where(versions.c.id > last)
            .order_by(versions.c.id)
            .limit(_CHUNK)
        ).all()
        if not chunk:
            break
        updates = []
        for version_id, number, outlet, body in chunk:
            keys = line_keys(outlet, body.split("\n\n"))
            updates.append({"vid": version_id, "keys": pack(keys)})
            if number == 1 and version_id <= merged:
                counts.update(keys)
        bind.execute(
            versions.update()
            .where(versions.c.id == sa.bindparam("vid"))
            .values(line_keys=sa.bindparam("keys")),
            updates,
        )
        last = chunk[-1][0]
    rows = [{"line_key": k, "articles": n} for k, n in sorted(counts.items()) if n >= 2]
    table = sa.table("line_counts", sa.column("line_key", sa.BigInteger), sa.column("articles"))
    for start in range(0, len(rows), 50_000):
        bind.execute(table.insert(), rows[start : start + 50_000])


def downgrade() -> None:
    op.drop_table("line_counts")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("line_keys")
