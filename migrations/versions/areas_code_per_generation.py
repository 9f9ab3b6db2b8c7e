"""areas: a code may belong to several versions of an area (one per generation range)

An area whose boundary or name changes in a new, not yet active generation gets a new row, so
the live generation keeps answering until `flask areas activate-generation`; both rows carry
the same code. The code stays unique per area and scheme, and (scheme, value) is indexed.

Revision ID: a7c3e9d1b5f2
Revises: f4a5b6c7d8e9
Create Date: 2026-11-26 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e9d1b5f2'
down_revision = 'f4a5b6c7d8e9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('areas_code', schema=None) as batch_op:
        batch_op.drop_constraint('uq_areas_code_scheme_value', type_='unique')
        batch_op.create_unique_constraint('uq_areas_code_area_scheme', ['area_id', 'scheme'])
        batch_op.create_index('ix_areas_code_scheme_value', ['scheme', 'value'], unique=False)


def downgrade():
    with op.batch_alter_table('areas_code', schema=None) as batch_op:
        batch_op.drop_index('ix_areas_code_scheme_value')
        batch_op.drop_constraint('uq_areas_code_area_scheme', type_='unique')
        batch_op.create_unique_constraint('uq_areas_code_scheme_value', ['scheme', 'value'])
