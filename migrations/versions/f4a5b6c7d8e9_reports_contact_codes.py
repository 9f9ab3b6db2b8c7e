"""reports: a contact may name the body's own Open311 service_code

Revision ID: f4a5b6c7d8e9
Revises: e3f4a5b6c7d8
Create Date: 2026-11-25 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f4a5b6c7d8e9'
down_revision = 'e3f4a5b6c7d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports_contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_code', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('reports_contact', schema=None) as batch_op:
        batch_op.drop_column('service_code')
