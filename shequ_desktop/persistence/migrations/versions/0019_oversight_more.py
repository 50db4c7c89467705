"""work_order_event.entered_later: a step typed in afterwards with its real time (补录), like the emergency timeline

Revision ID: 0019_oversight_more
Revises: 0014_oversight
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_oversight_more'
down_revision = '0014_oversight'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_order_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entered_later', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('work_order_event', schema=None) as batch_op:
        batch_op.drop_column('entered_later')
