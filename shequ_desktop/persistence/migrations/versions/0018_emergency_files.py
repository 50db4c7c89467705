"""emergency files: files attached to drill and training records (em_file) with their content in synced
parts (em_file_part), so photos and sign-in sheets reach the hub and every station; R65's further steps
configured per hazard plan (em_plan.further_steps)

Revision ID: 0018_emergency_files
Revises: 0021_staff
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import shequ_desktop.persistence.base


revision = '0018_emergency_files'
down_revision = '0021_staff'
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('community_id', sa.String(length=36), nullable=False),
        sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
        sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    # R65's further steps, configured per plan and offered on the incident's timeline (empty: the shipped list)
    with op.batch_alter_table('em_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('further_steps', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table(
        'em_file',
        sa.Column('owner_kind', sa.String(length=16), nullable=False),
        sa.Column('owner_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('parts', sa.Integer(), nullable=False),
        sa.Column('personal', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('withdraws_id', sa.String(length=36), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_em_file')))
    with op.batch_alter_table('em_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_em_file_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_em_file_community_id'), ['community_id'], unique=False)
    op.create_table(
        'em_file_part',
        sa.Column('file_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_em_file_part')))
    with op.batch_alter_table('em_file_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_em_file_part_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_em_file_part_community_id'), ['community_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('em_plan', schema=None) as batch_op:
        batch_op.drop_column('further_steps')
    with op.batch_alter_table('em_file_part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_em_file_part_community_id'))
        batch_op.drop_index(batch_op.f('ix_em_file_part_file_id'))
    op.drop_table('em_file_part')
    with op.batch_alter_table('em_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_em_file_community_id'))
        batch_op.drop_index(batch_op.f('ix_em_file_owner_id'))
    op.drop_table('em_file')
