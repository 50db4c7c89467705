"""special groups: files and their history, 1+1+N rosters, contact logs, assessments, reviews,
service packages, follow-ups and satisfaction surveys (issue 12)

Revision ID: 0008_special_groups
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import shequ_desktop.persistence.base


revision = '0008_special_groups'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sg_assessment',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('by_name', sa.String(length=64), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('proposals', sa.JSON(), nullable=False),
    sa.Column('corrects_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_assessment'))
    )
    with op.batch_alter_table('sg_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_assessment_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_assessment_file_id'), ['file_id'], unique=False)

    op.create_table('sg_contact',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('contact_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('by_role', sa.String(length=16), nullable=False),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('by_name', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('next_date', sa.Date(), nullable=True),
    sa.Column('corrects_id', sa.String(length=36), nullable=True),
    sa.Column('retracted', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_contact'))
    )
    with op.batch_alter_table('sg_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_contact_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_sg_contact_file_date', ['file_id', 'contact_on'], unique=False)

    op.create_table('sg_file',
    sa.Column('resident_id', sa.String(length=36), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('tracked_from', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('close_reason', sa.String(length=16), nullable=True),
    sa.Column('close_note', sa.Text(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('care_notes', sa.Text(), nullable=False),
    sa.Column('health_notes', sa.Text(), nullable=False),
    sa.Column('disability_cert', sa.String(length=20), nullable=False),
    sa.Column('disability_category', sa.String(length=1), nullable=True),
    sa.Column('disability_grade', sa.Integer(), nullable=True),
    sa.Column('devices', sa.Text(), nullable=False),
    sa.Column('rehabilitation', sa.Text(), nullable=False),
    sa.Column('child_kind', sa.String(length=16), nullable=True),
    sa.Column('review_requested_on', sa.Date(), nullable=True),
    sa.Column('review_reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_file'))
    )
    with op.batch_alter_table('sg_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_file_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_sg_file_resident_group', ['resident_id', 'group'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_file_resident_id'), ['resident_id'], unique=False)

    op.create_table('sg_file_event',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_file_event'))
    )
    with op.batch_alter_table('sg_file_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_file_event_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_file_event_file_id'), ['file_id'], unique=False)

    op.create_table('sg_follow_up',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('need', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('assigned_login', sa.String(length=64), nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('work_order_id', sa.String(length=36), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_follow_up'))
    )
    with op.batch_alter_table('sg_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_follow_up_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_follow_up_file_id'), ['file_id'], unique=False)

    op.create_table('sg_package',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('assessment_id', sa.String(length=36), nullable=True),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_package'))
    )
    with op.batch_alter_table('sg_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_package_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_package_file_id'), ['file_id'], unique=False)

    op.create_table('sg_review',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('by_login', sa.String(length=64), nullable=False),
    sa.Column('by_name', sa.String(length=64), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('missing', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('corrects_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_review'))
    )
    with op.batch_alter_table('sg_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_review_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_review_file_id'), ['file_id'], unique=False)

    op.create_table('sg_roster',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('active_from', sa.Date(), nullable=False),
    sa.Column('active_to', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_roster'))
    )
    with op.batch_alter_table('sg_roster', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_roster_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_roster_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_roster_login'), ['login'], unique=False)

    op.create_table('sg_survey',
    sa.Column('file_id', sa.String(length=36), nullable=False),
    sa.Column('surveyed_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('surveyor', sa.String(length=64), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('corrects_id', sa.String(length=36), nullable=True),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sg_survey'))
    )
    with op.batch_alter_table('sg_survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sg_survey_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sg_survey_file_id'), ['file_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sg_survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_survey_file_id'))
        batch_op.drop_index(batch_op.f('ix_sg_survey_community_id'))

    op.drop_table('sg_survey')
    with op.batch_alter_table('sg_roster', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_roster_login'))
        batch_op.drop_index(batch_op.f('ix_sg_roster_file_id'))
        batch_op.drop_index(batch_op.f('ix_sg_roster_community_id'))

    op.drop_table('sg_roster')
    with op.batch_alter_table('sg_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_review_file_id'))
        batch_op.drop_index(batch_op.f('ix_sg_review_community_id'))

    op.drop_table('sg_review')
    with op.batch_alter_table('sg_package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_package_file_id'))
        batch_op.drop_index(batch_op.f('ix_sg_package_community_id'))

    op.drop_table('sg_package')
    with op.batch_alter_table('sg_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_follow_up_file_id'))
        batch_op.drop_index(batch_op.f('ix_sg_follow_up_community_id'))

    op.drop_table('sg_follow_up')
    with op.batch_alter_table('sg_file_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_file_event_file_id'))
        batch_op.drop_index(batch_op.f('ix_sg_file_event_community_id'))

    op.drop_table('sg_file_event')
    with op.batch_alter_table('sg_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_file_resident_id'))
        batch_op.drop_index('ix_sg_file_resident_group')
        batch_op.drop_index(batch_op.f('ix_sg_file_community_id'))

    op.drop_table('sg_file')
    with op.batch_alter_table('sg_contact', schema=None) as batch_op:
        batch_op.drop_index('ix_sg_contact_file_date')
        batch_op.drop_index(batch_op.f('ix_sg_contact_community_id'))

    op.drop_table('sg_contact')
    with op.batch_alter_table('sg_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sg_assessment_file_id'))
        batch_op.drop_index(batch_op.f('ix_sg_assessment_community_id'))

    op.drop_table('sg_assessment')
