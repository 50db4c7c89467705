"""special groups: indexes that let 我的今日, the compliance grid and the chief's overview read the schedules'
records from the index alone (issue 12 speed targets)

- ``sg_contact``: a covering index (file, date, and every column the schedules read), so the contacts of 2,500
  files are read without visiting the table rows (notes and needs stay out); a partial index of corrections, so
  "which entries are corrected" is a lookup instead of a scan of every contact.
- ``sg_roster``: a covering index of the active members (file, end, role, login, name).

Revision ID: 0015_special_more
Revises: 0007_documents
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = '0015_special_more'
down_revision = '0007_documents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_sg_contact_schedule', 'sg_contact',
                    ['file_id', 'contact_on', 'deleted_at', 'kind', 'by_role', 'outcome', 'retracted', 'next_date',
                     'id'])
    op.create_index('ix_sg_contact_corrects', 'sg_contact', ['corrects_id'],
                    sqlite_where=sa.text('corrects_id IS NOT NULL'))
    op.create_index('ix_sg_roster_active', 'sg_roster',
                    ['file_id', 'active_to', 'deleted_at', 'active_from', 'role', 'login', 'name'])


def downgrade() -> None:
    op.drop_index('ix_sg_roster_active', table_name='sg_roster')
    op.drop_index('ix_sg_contact_corrects', table_name='sg_contact')
    op.drop_index('ix_sg_contact_schedule', table_name='sg_contact')
