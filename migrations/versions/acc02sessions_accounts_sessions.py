"""accounts: server-side sign-ins, so that signing out ends a session's cookies for good

Revision ID: acc02sessions
Revises: a7c3e9d1b5f2
Create Date: 2026-12-07 23:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

import app.core.models  # noqa: F401 - custom column types (UTCDateTime)

# revision identifiers, used by Alembic.
revision = 'acc02sessions'
down_revision = 'a7c3e9d1b5f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accounts_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['accounts_user.id'], name=op.f('fk_accounts_session_user_id_accounts_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts_session')),
        sa.UniqueConstraint('key', name=op.f('uq_accounts_session_key')),
    )
    with op.batch_alter_table('accounts_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_session_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('accounts_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_session_user_id'))
    op.drop_table('accounts_session')
