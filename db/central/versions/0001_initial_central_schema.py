"""Initial central schema: accounts, devices, case access history, records, change log, idempotency."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('applied_change',
    sa.Column('change_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('change_id', name=op.f('pk_applied_change'))
    )
    op.create_table('case_access',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=False),
    sa.Column('handler_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('from_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('to_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_access'))
    )
    with op.batch_alter_table('case_access', schema=None) as batch_op:
        batch_op.create_index('ix_case_access_case_handler', ['case_id', 'handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_access_from_seq'), ['from_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_access_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index('ix_case_access_parent_handler', ['parent_id', 'handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_access_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_access_to_seq'), ['to_seq'], unique=False)

    op.create_table('change_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('origin_change_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_change_log_entity_row', ['entity', 'row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_log_parent_id'), ['parent_id'], unique=False)

    op.create_table('enroll_failure',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_enroll_failure'))
    )
    op.create_table('record',
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'row_id', name=op.f('pk_record'))
    )
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_parent_id'), ['parent_id'], unique=False)

    op.create_table('review_access',
    sa.Column('letter_id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=False),
    sa.Column('from_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('letter_id', name=op.f('pk_review_access'))
    )
    with op.batch_alter_table('review_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_access_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_access_from_seq'), ['from_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_access_parent_id'), ['parent_id'], unique=False)

    op.create_table('team',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('name', name=op.f('uq_team_name'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_user_account_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('device',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_device_user_id_user_account')),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_device')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_device_token_sha256'))
    )
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_user_id'))

    op.drop_table('device')
    op.drop_table('user_account')
    op.drop_table('team')
    with op.batch_alter_table('review_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_access_parent_id'))
        batch_op.drop_index(batch_op.f('ix_review_access_from_seq'))
        batch_op.drop_index(batch_op.f('ix_review_access_case_id'))

    op.drop_table('review_access')
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_parent_id'))
        batch_op.drop_index(batch_op.f('ix_record_case_id'))

    op.drop_table('record')
    op.drop_table('enroll_failure')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_parent_id'))
        batch_op.drop_index('ix_change_log_entity_row')
        batch_op.drop_index(batch_op.f('ix_change_log_case_id'))

    op.drop_table('change_log')
    with op.batch_alter_table('case_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_access_to_seq'))
        batch_op.drop_index(batch_op.f('ix_case_access_team_id'))
        batch_op.drop_index('ix_case_access_parent_handler')
        batch_op.drop_index(batch_op.f('ix_case_access_handler_id'))
        batch_op.drop_index(batch_op.f('ix_case_access_from_seq'))
        batch_op.drop_index('ix_case_access_case_handler')

    op.drop_table('case_access')
    op.drop_table('applied_change')

