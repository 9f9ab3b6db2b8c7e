"""reports: Open311 keys tied to a body; sends forward updates and follow the outbox

Revision ID: c1d2e3f4a5b6
Revises: b3a7536314ce
Create Date: 2026-11-24 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c1d2e3f4a5b6'
down_revision = 'b3a7536314ce'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports_api_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_api_key_body_id'), ['body_id'], unique=False)

    with op.batch_alter_table('reports_send', schema=None) as batch_op:
        batch_op.add_column(sa.Column('update_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outbox_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_send_update_id'), ['update_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_send_update_id_reports_update'), 'reports_update',
                                    ['update_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('reports_send', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_send_update_id_reports_update'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_send_update_id'))
        batch_op.drop_column('outbox_id')
        batch_op.drop_column('update_id')

    with op.batch_alter_table('reports_api_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_api_key_body_id'))
        batch_op.drop_column('body_id')
