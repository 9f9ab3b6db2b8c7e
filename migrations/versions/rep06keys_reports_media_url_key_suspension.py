"""reports: a client's media_url on a report; an Open311 key can be suspended

Revision ID: rep06keys
Revises: rec02debates
Create Date: 2026-12-08 01:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

import app.core.models  # noqa: F401 - custom column types (UTCDateTime)

# revision identifiers, used by Alembic.
revision = 'rep06keys'
down_revision = 'rec02debates'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media_url', sa.String(length=500), nullable=True))
    with op.batch_alter_table('reports_api_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', app.core.models.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('reports_api_key', schema=None) as batch_op:
        batch_op.drop_column('suspended_at')
    with op.batch_alter_table('reports_report', schema=None) as batch_op:
        batch_op.drop_column('media_url')
