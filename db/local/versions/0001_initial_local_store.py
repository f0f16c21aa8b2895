"""initial local store"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_event',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('verb', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.String(length=1000), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('id', name=op.f('uq_audit_event_id'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_case_id'), ['case_id'], unique=False)

    op.create_table('conflict',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('local_value', sa.JSON(), nullable=True),
    sa.Column('server_value', sa.JSON(), nullable=True),
    sa.Column('server_rev', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('resolved_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('change_id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('op', sa.String(length=10), nullable=False),
    sa.Column('base_rev', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('change_id', name=op.f('uq_outbox_change_id'))
    )
    op.create_table('parent',
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('house_number', sa.String(length=20), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('preferred_channel', sa.String(length=20), nullable=False),
    sa.Column('language_need', sa.String(length=100), nullable=False),
    sa.Column('safety_notes', sa.Text(), nullable=False),
    sa.Column('voorletters', sa.String(length=20), nullable=False),
    sa.Column('voornamen', sa.String(length=200), nullable=False),
    sa.Column('tussenvoegsel', sa.String(length=20), nullable=False),
    sa.Column('achternaam', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent')),
    sa.UniqueConstraint('bsn', name=op.f('uq_parent_bsn'))
    )
    op.create_table('sync_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_state'))
    )
    op.create_table('team',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team'))
    )
    op.create_table('child',
    sa.Column('parent_id', sa.String(length=36), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('voorletters', sa.String(length=20), nullable=False),
    sa.Column('voornamen', sa.String(length=200), nullable=False),
    sa.Column('tussenvoegsel', sa.String(length=20), nullable=False),
    sa.Column('achternaam', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['parent.id'], name=op.f('fk_child_parent_id_parent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child'))
    )
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_parent_id'), ['parent_id'], unique=False)

    op.create_table('ex_partner',
    sa.Column('parent_id', sa.String(length=36), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=True),
    sa.Column('was_toeslagpartner', sa.Boolean(), nullable=False),
    sa.Column('separated_on', sa.Date(), nullable=True),
    sa.Column('voorletters', sa.String(length=20), nullable=False),
    sa.Column('voornamen', sa.String(length=200), nullable=False),
    sa.Column('tussenvoegsel', sa.String(length=20), nullable=False),
    sa.Column('achternaam', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['parent.id'], name=op.f('fk_ex_partner_parent_id_parent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ex_partner'))
    )
    with op.batch_alter_table('ex_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ex_partner_parent_id'), ['parent_id'], unique=False)

    op.create_table('user_account',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('HANDLER', 'TEAM_LEAD', 'REVIEWER', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_user_account_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('case_file',
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=False),
    sa.Column('handler_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('phase', sa.String(length=40), nullable=False),
    sa.Column('phase_since', sa.Date(), nullable=False),
    sa.Column('urgent_eviction', sa.Boolean(), nullable=False),
    sa.Column('urgent_energy', sa.Boolean(), nullable=False),
    sa.Column('urgent_garnishment', sa.Boolean(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('decision_due_on', sa.Date(), nullable=True),
    sa.Column('objection_due_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['handler_id'], ['user_account.id'], name=op.f('fk_case_file_handler_id_user_account')),
    sa.ForeignKeyConstraint(['parent_id'], ['parent.id'], name=op.f('fk_case_file_parent_id_parent')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_case_file_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_file_reference'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_case_file_phase', ['phase'], unique=False)

    op.create_table('case_track',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('track', sa.String(length=40), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_track_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_track'))
    )
    with op.batch_alter_table('case_track', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_track_case_id'), ['case_id'], unique=False)

    op.create_table('commitment',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('promised_by', sa.String(length=200), nullable=False),
    sa.Column('promised_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_commitment_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment'))
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index('ix_commitment_case_status_due', ['case_id', 'status', 'due_on'], unique=False)

    op.create_table('consent',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('partner', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.String(length=500), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_consent_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_case_id'), ['case_id'], unique=False)

    op.create_table('letter',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('template_id', sa.String(length=100), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('field_values', sa.JSON(), nullable=False),
    sa.Column('policy_version', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('reviewer_id', sa.String(length=36), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('issued_at', sa.String(length=32), nullable=True),
    sa.Column('corrects_letter_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_letter_author_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_letter_case_id_case_file')),
    sa.ForeignKeyConstraint(['corrects_letter_id'], ['letter.id'], name=op.f('fk_letter_corrects_letter_id_letter')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_letter_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_case_id'), ['case_id'], unique=False)

    op.create_table('need',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('life_domain', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_need_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need'))
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_case_id'), ['case_id'], unique=False)

    op.create_table('phase_change',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('from_phase', sa.String(length=40), nullable=True),
    sa.Column('to_phase', sa.String(length=40), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_phase_change_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_change'))
    )
    with op.batch_alter_table('phase_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_change_case_id'), ['case_id'], unique=False)

    op.create_table('story_entry',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('occurred_at', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('present', sa.String(length=500), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('confirmed_by_parent', sa.Boolean(), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_story_entry_author_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_story_entry_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_entry'))
    )
    with op.batch_alter_table('story_entry', schema=None) as batch_op:
        batch_op.create_index('ix_story_entry_case_time', ['case_id', 'occurred_at'], unique=False)

    op.create_table('action',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('need_id', sa.String(length=36), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=20), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_action_case_id_case_file')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_action_need_id_need')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index('ix_action_case_status_due', ['case_id', 'status', 'due_on'], unique=False)

    op.create_table('commitment_status_change',
    sa.Column('commitment_id', sa.String(length=36), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_commitment_status_change_commitment_id_commitment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_status_change'))
    )
    with op.batch_alter_table('commitment_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_status_change_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('disclosure',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('consent_id', sa.String(length=36), nullable=True),
    sa.Column('partner', sa.String(length=200), nullable=False),
    sa.Column('what', sa.String(length=1000), nullable=False),
    sa.Column('basis', sa.String(length=200), nullable=False),
    sa.Column('disclosed_on', sa.Date(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_disclosure_case_id_case_file')),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], name=op.f('fk_disclosure_consent_id_consent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure'))
    )
    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_case_id'), ['case_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('disclosure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosure_case_id'))

    op.drop_table('disclosure')
    with op.batch_alter_table('commitment_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_status_change_commitment_id'))

    op.drop_table('commitment_status_change')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_case_status_due')

    op.drop_table('action')
    with op.batch_alter_table('story_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_story_entry_case_time')

    op.drop_table('story_entry')
    with op.batch_alter_table('phase_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_change_case_id'))

    op.drop_table('phase_change')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_case_id'))

    op.drop_table('need')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_case_id'))

    op.drop_table('letter')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_case_id'))

    op.drop_table('consent')
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index('ix_commitment_case_status_due')

    op.drop_table('commitment')
    with op.batch_alter_table('case_track', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_track_case_id'))

    op.drop_table('case_track')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_phase')
        batch_op.drop_index(batch_op.f('ix_case_file_parent_id'))
        batch_op.drop_index(batch_op.f('ix_case_file_handler_id'))

    op.drop_table('case_file')
    op.drop_table('user_account')
    with op.batch_alter_table('ex_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ex_partner_parent_id'))

    op.drop_table('ex_partner')
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_parent_id'))

    op.drop_table('child')
    op.drop_table('team')
    op.drop_table('sync_state')
    op.drop_table('parent')
    op.drop_table('outbox')
    op.drop_table('conflict')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_case_id'))

    op.drop_table('audit_event')

