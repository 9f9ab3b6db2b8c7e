"""foi: drafts composed before signing in, kept server-side

Revision ID: e3f4a5b6c7d8
Revises: c1d2e3f4a5b6
Create Date: 2026-11-24 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import app.core.models  # noqa: F401 - custom column types (UTCDateTime)

# revision identifiers, used by Alembic.
revision = 'e3f4a5b6c7d8'
down_revision = 'c1d2e3f4a5b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('foi_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('letter', sa.Text(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_foi_draft')),
    sa.UniqueConstraint('token', name=op.f('uq_foi_draft_token'))
    )
    with op.batch_alter_table('foi_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_foi_draft_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('foi_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_foi_draft_created_at'))

    op.drop_table('foi_draft')
