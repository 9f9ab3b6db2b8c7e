"""directory: every Popolo field the shared files carry, and a name key for matching

Persons gain given_name, family_name, death_date and images[]; events keep their
classification (general elections besides legislative periods); persons' and other names get
a spelling-blind key (app/directory/names.py), filled here for the rows already stored.

Revision ID: dir05popolo
Revises: acc02sessions
Create Date: 2026-12-07 23:40:00.000000

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'dir05popolo'
down_revision = 'acc02sessions'
branch_labels = None
depends_on = None


def _key(value):
    # A frozen copy of app.directory.names.name_key as it was when this migration was written.
    if not value:
        return ""
    bare = "".join(c for c in unicodedata.normalize("NFKD", str(value).casefold()) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", bare)).strip()[:300]


def upgrade():
    with op.batch_alter_table('directory_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('given_name', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('family_name', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('death_date', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('images', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_directory_person_name_key'), ['name_key'], unique=False)
    with op.batch_alter_table('directory_other_name', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=300), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_directory_other_name_name_key'), ['name_key'], unique=False)
    with op.batch_alter_table('directory_legislative_period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('classification', sa.String(length=100), nullable=False,
                                      server_default='legislative period'))
        batch_op.create_index(batch_op.f('ix_directory_legislative_period_classification'), ['classification'],
                              unique=False)
    bind = op.get_bind()
    for table in ('directory_person', 'directory_other_name'):
        rows = bind.execute(sa.text(f"SELECT id, name FROM {table}")).all()
        for row_id, name in rows:
            bind.execute(sa.text(f"UPDATE {table} SET name_key = :k WHERE id = :i"), {"k": _key(name), "i": row_id})
    with op.batch_alter_table('directory_person', schema=None) as batch_op:
        batch_op.alter_column('name_key', server_default=None)
    with op.batch_alter_table('directory_other_name', schema=None) as batch_op:
        batch_op.alter_column('name_key', server_default=None)


def downgrade():
    with op.batch_alter_table('directory_legislative_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_legislative_period_classification'))
        batch_op.drop_column('classification')
    with op.batch_alter_table('directory_other_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_other_name_name_key'))
        batch_op.drop_column('name_key')
    with op.batch_alter_table('directory_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_person_name_key'))
        batch_op.drop_column('images')
        batch_op.drop_column('death_date')
        batch_op.drop_column('family_name')
        batch_op.drop_column('given_name')
        batch_op.drop_column('name_key')

