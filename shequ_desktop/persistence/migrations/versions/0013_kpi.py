"""KPI: the work orders' received time indexed (the response figures select a period by it).

The fields the response figures need were already there (``received_at`` — the resident's submit time
from the platform, ``feedback_at`` — the first feedback, ``arrived_at`` — on site, urgent requests);
their value choices (source, urgency, status) are model metadata for the hub's validator, no schema change.

Revision ID: 0013_kpi
Revises: 0012_emergency
Create Date: 2026-12-03
"""
from alembic import op

revision = '0013_kpi'
down_revision = '0012_emergency'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_work_order_received_at'), 'work_order', ['received_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_work_order_received_at'), table_name='work_order')
