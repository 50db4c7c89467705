"""documents: what a check of the code shows and what a 补打 rebuilds from; the 作废 of a document

``printed_document`` gains ``issuer`` (the issuing station or committee), ``holder`` (the masked
name of the person), ``valid_until`` (a 居住证明's last valid day) and ``snapshot`` (the data the
document was built from, so that a reprint is the same document). ``document_void`` records the
chief's 作废 with its reason (append-only, synced so that the hub's check knows it too).

Revision ID: 0007_documents
Revises: 0009_mediation
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

import shequ_desktop.persistence.base

revision = '0007_documents'
down_revision = '0009_mediation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('printed_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('holder', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
    op.create_table('document_void',
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('serial_no', sa.String(length=40), nullable=False),
    sa.Column('verification_code', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('voided_by', sa.String(length=64), nullable=False),
    sa.Column('voided_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', shequ_desktop.persistence.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_void'))
    )
    with op.batch_alter_table('document_void', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_void_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_void_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_void_verification_code'), ['verification_code'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('document_void')
    with op.batch_alter_table('printed_document', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
        batch_op.drop_column('valid_until')
        batch_op.drop_column('holder')
        batch_op.drop_column('issuer')
