"""sync with the hub: work orders, work order events, sync conflicts; outbox index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
import shequ_desktop.persistence.base

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

UTC = shequ_desktop.persistence.base.UTCDateTime


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('community_id', sa.String(length=36), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('updated_at', UTC(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', UTC(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('work_order',
        sa.Column('request_no', sa.String(length=32), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('category', sa.String(length=64), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('contact', sa.String(length=64), nullable=False),
        sa.Column('urgency', sa.String(length=16), nullable=False),
        sa.Column('received_at', UTC(), nullable=False),
        sa.Column('grid_id', sa.String(length=36), nullable=True),
        sa.Column('assignee_id', sa.String(length=36), nullable=True),
        sa.Column('assigned_as', sa.String(length=1), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('feedback_at', UTC(), nullable=True),
        sa.Column('arrived_at', UTC(), nullable=True),
        sa.Column('result', sa.Text(), nullable=False),
        sa.Column('closed_at', UTC(), nullable=True),
        *_synced_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order')))
    with op.batch_alter_table('work_order', schema=None) as b:
        b.create_index(b.f('ix_work_order_community_id'), ['community_id'], unique=False)
        b.create_index(b.f('ix_work_order_grid_id'), ['grid_id'], unique=False)
        b.create_index(b.f('ix_work_order_assignee_id'), ['assignee_id'], unique=False)

    op.create_table('work_order_event',
        sa.Column('work_order_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('by_user', sa.String(length=64), nullable=False),
        sa.Column('at', UTC(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order_event')))
    with op.batch_alter_table('work_order_event', schema=None) as b:
        b.create_index(b.f('ix_work_order_event_community_id'), ['community_id'], unique=False)
        b.create_index(b.f('ix_work_order_event_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('sync_conflict',
        sa.Column('entity', sa.String(length=64), nullable=False),
        sa.Column('entity_id', sa.String(length=36), nullable=False),
        sa.Column('field', sa.String(length=64), nullable=False),
        sa.Column('local_value', sa.Text(), nullable=False),
        sa.Column('remote_value', sa.Text(), nullable=False),
        sa.Column('base_version', sa.Integer(), nullable=False),
        sa.Column('target_version', sa.Integer(), nullable=False),
        sa.Column('change_id', sa.String(length=36), nullable=False),
        sa.Column('from_station', sa.String(length=36), nullable=False),
        sa.Column('from_user', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('resolution', sa.String(length=16), nullable=False),
        sa.Column('resolved_value', sa.Text(), nullable=False),
        sa.Column('resolved_by', sa.String(length=64), nullable=False),
        sa.Column('resolved_at', UTC(), nullable=True),
        *_synced_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict')))
    with op.batch_alter_table('sync_conflict', schema=None) as b:
        b.create_index(b.f('ix_sync_conflict_community_id'), ['community_id'], unique=False)
        b.create_index(b.f('ix_sync_conflict_entity_id'), ['entity_id'], unique=False)

    # The outbox scan: pending local changes in creation order.
    op.create_index('ix_change_journal_outbox', 'change_journal', ['origin', 'pushed_at', 'seq'])


def downgrade() -> None:
    op.drop_index('ix_change_journal_outbox', table_name='change_journal')
    op.drop_table('sync_conflict')
    op.drop_table('work_order_event')
    op.drop_table('work_order')
