"""Initial schema: every table of the reference, with constraints, indexes and the views.

Column types come from wics_desktop.core.models.base (UTC timestamps, doubles, image bytes)
so they render correctly on both SQLite and MySQL/MariaDB.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 04:23:46.048513
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401

from wics_desktop.core.models.base import Double, ImageBytes, Timestamp, utc_now
from wics_desktop.core.schema import create_views, drop_views

# Views as this revision defines them (sql/views/v1/<dialect>/<name>.sql).
VIEWS_VERSION = "v1"
VIEWS = ["v_materials", "v_last_found_at_list", "v_latest_sap", "v_material_locations"]

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('username', sa.String(length=150), nullable=False),
    sa.Column('workstation', sa.String(length=100), nullable=True),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_key', sa.String(length=100), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before_json', sa.Text(), nullable=True),
    sa.Column('after_json', sa.Text(), nullable=True),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity_entity_key', ['entity', 'entity_key'], unique=False)

    op.create_table('greetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_greetings')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holiday_date', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('holiday_date', name=op.f('uq_holidays_holiday_date')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holidays_updated_at'), ['updated_at'], unique=False)

    op.create_table('menu_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('info', sa.String(length=250), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_menu_groups_name')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('menu_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_menu_groups_updated_at'), ['updated_at'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('name', name=op.f('uq_organizations_name')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_updated_at'), ['updated_at'], unique=False)

    op.create_table('parameters',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.String(length=512), server_default='', nullable=False),
    sa.Column('user_modifiable', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('comment', sa.String(length=512), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_parameters')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('parameters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parameters_updated_at'), ['updated_at'], unique=False)

    op.create_table('part_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('inactive', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_part_types')),
    sa.UniqueConstraint('name', name=op.f('uq_part_types_name')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('part_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_types_priority'), ['priority'], unique=False)
        batch_op.create_index(batch_op.f('ix_part_types_updated_at'), ['updated_at'], unique=False)

    op.create_table('units_of_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uom', sa.String(length=50), nullable=False),
    sa.Column('uom_text', sa.String(length=100), nullable=True),
    sa.Column('dimension_text', sa.String(length=100), nullable=True),
    sa.Column('multiplier', Double, server_default='1', nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units_of_measure')),
    sa.UniqueConstraint('uom', name=op.f('uq_units_of_measure_uom')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    op.create_table('worksheet_zones',
    sa.Column('zone', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('zone', name=op.f('pk_worksheet_zones')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    op.create_table('location_zones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=250), nullable=False),
    sa.Column('zone', sa.Integer(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['zone'], ['worksheet_zones.zone'], name=op.f('fk_location_zones_zone_worksheet_zones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_location_zones')),
    sa.UniqueConstraint('location', name=op.f('uq_location_zones_location')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('location_zones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_location_zones_zone'), ['zone'], unique=False)

    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=250), server_default='', nullable=False),
    sa.Column('part_type_id', sa.Integer(), nullable=True),
    sa.Column('plant', sa.String(length=20), nullable=True),
    sa.Column('sap_material_type', sa.String(length=100), nullable=True),
    sa.Column('sap_material_group', sa.String(length=100), nullable=True),
    sa.Column('sap_manufacturer', sa.String(length=100), nullable=True),
    sa.Column('sap_mpn', sa.String(length=100), nullable=True),
    sa.Column('sap_abc', sa.String(length=5), nullable=True),
    sa.Column('price', Double, nullable=True),
    sa.Column('price_unit', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=20), nullable=True),
    sa.Column('typical_container_qty', sa.String(length=100), nullable=True),
    sa.Column('typical_pallet_qty', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.String(length=1000), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_materials_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['part_type_id'], ['part_types.id'], name=op.f('fk_materials_part_type_id_part_types'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials')),
    sa.UniqueConstraint('org_id', 'part_number', name=op.f('uq_materials_org_id_part_number')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index('ix_materials_part_number', ['part_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_part_type_id'), ['part_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_updated_at'), ['updated_at'], unique=False)

    op.create_table('menu_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('menu_id', sa.SmallInteger(), nullable=False),
    sa.Column('option_number', sa.SmallInteger(), nullable=False),
    sa.Column('option_text', sa.String(length=250), nullable=False),
    sa.Column('command', sa.String(length=50), nullable=True),
    sa.Column('argument', sa.String(length=250), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['menu_groups.id'], name=op.f('fk_menu_items_group_id_menu_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_items')),
    sa.UniqueConstraint('group_id', 'menu_id', 'option_number', name=op.f('uq_menu_items_group_id_menu_id_option_number')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_menu_items_updated_at'), ['updated_at'], unique=False)

    op.create_table('sap_plants',
    sa.Column('plant', sa.String(length=20), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_sap_plants_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('plant', name=op.f('pk_sap_plants')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('sap_plants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sap_plants_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sap_plants_updated_at'), ['updated_at'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=150), nullable=False),
    sa.Column('display_name', sa.String(length=250), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('menu_group_id', sa.Integer(), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('last_login', Timestamp, nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.CheckConstraint("role IN ('clerk', 'supervisor', 'admin')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['menu_group_id'], ['menu_groups.id'], name=op.f('fk_users_menu_group_id_menu_groups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_menu_group_id'), ['menu_group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_updated_at'), ['updated_at'], unique=False)

    op.create_table('actual_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('count_date', sa.Date(), nullable=False),
    sa.Column('cycle_count_id', sa.String(length=100), nullable=True),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('counter', sa.String(length=250), nullable=False),
    sa.Column('location_only', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('expression', sa.String(length=500), nullable=True),
    sa.Column('quantity', Double, nullable=True),
    sa.Column('location', sa.String(length=250), nullable=False),
    sa.Column('package_id', sa.String(length=250), nullable=True),
    sa.Column('tag_qty', sa.String(length=250), nullable=True),
    sa.Column('possibly_not_received', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('movement_during_count', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('notes', sa.String(length=1000), nullable=True),
    sa.Column('entered_by', sa.String(length=150), nullable=True),
    sa.Column('workstation', sa.String(length=100), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_actual_counts_material_id_materials'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actual_counts')),
    sa.UniqueConstraint('uuid', name=op.f('uq_actual_counts_uuid')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('actual_counts', schema=None) as batch_op:
        batch_op.create_index('ix_actual_counts_count_date_material_id', ['count_date', 'material_id'], unique=False)
        batch_op.create_index('ix_actual_counts_location', ['location'], unique=False)
        batch_op.create_index('ix_actual_counts_material_id_count_date', ['material_id', 'count_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_actual_counts_updated_at'), ['updated_at'], unique=False)

    op.create_table('count_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count_date', sa.Date(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('requestor', sa.String(length=100), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('request_filled', sa.Boolean(), nullable=True),
    sa.Column('counter', sa.String(length=250), nullable=True),
    sa.Column('priority', sa.String(length=50), nullable=True),
    sa.Column('reason', sa.String(length=250), nullable=True),
    sa.Column('notes', sa.String(length=1000), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_count_schedule_material_id_materials'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_count_schedule_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_count_schedule')),
    sa.UniqueConstraint('count_date', 'material_id', name=op.f('uq_count_schedule_count_date_material_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('count_schedule', schema=None) as batch_op:
        batch_op.create_index('ix_count_schedule_material_id', ['material_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_count_schedule_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_count_schedule_updated_at'), ['updated_at'], unique=False)

    op.create_table('material_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('image', ImageBytes, nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('file_name', sa.String(length=250), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('notes', sa.String(length=250), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_photos_material_id_materials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_photos')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('material_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_photos_material_id'), ['material_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_material_photos_updated_at'), ['updated_at'], unique=False)

    op.create_table('mpn',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mpn', sa.String(length=250), nullable=False),
    sa.Column('manufacturer', sa.String(length=250), nullable=True),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.String(length=250), nullable=True),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_mpn_material_id_materials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mpn')),
    sa.UniqueConstraint('mpn', name=op.f('uq_mpn_mpn')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('mpn', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mpn_manufacturer'), ['manufacturer'], unique=False)
        batch_op.create_index(batch_op.f('ix_mpn_material_id'), ['material_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mpn_updated_at'), ['updated_at'], unique=False)

    op.create_table('sap_stock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_date', sa.Date(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=100), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=250), nullable=True),
    sa.Column('plant', sa.String(length=20), nullable=True),
    sa.Column('material_type', sa.String(length=50), nullable=True),
    sa.Column('storage_location', sa.String(length=20), nullable=True),
    sa.Column('base_uom', sa.String(length=20), nullable=True),
    sa.Column('amount', Double, server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=20), nullable=True),
    sa.Column('value_unrestricted', Double, server_default='0', nullable=False),
    sa.Column('special_stock', sa.String(length=20), nullable=True),
    sa.Column('batch', sa.String(length=20), nullable=True),
    sa.Column('vendor', sa.String(length=20), nullable=True),
    sa.Column('blocked', Double, server_default='0', nullable=False),
    sa.Column('value_blocked', Double, server_default='0', nullable=False),
    sa.Column('created_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.Column('updated_at', Timestamp, server_default=utc_now(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_sap_stock_material_id_materials'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_sap_stock_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sap_stock')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('sap_stock', schema=None) as batch_op:
        batch_op.create_index('ix_sap_stock_material_id_upload_date', ['material_id', 'upload_date'], unique=False)
        batch_op.create_index('ix_sap_stock_org_id_upload_date', ['org_id', 'upload_date'], unique=False)
        batch_op.create_index('ix_sap_stock_upload_date_org_id_material_id', ['upload_date', 'org_id', 'material_id'], unique=False)
    create_views(op.get_bind(), VIEWS_VERSION, VIEWS)


def downgrade() -> None:
    drop_views(op.get_bind(), VIEWS)
    with op.batch_alter_table('sap_stock', schema=None) as batch_op:
        batch_op.drop_index('ix_sap_stock_upload_date_org_id_material_id')
        batch_op.drop_index('ix_sap_stock_org_id_upload_date')
        batch_op.drop_index('ix_sap_stock_material_id_upload_date')

    op.drop_table('sap_stock')
    with op.batch_alter_table('mpn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mpn_updated_at'))
        batch_op.drop_index(batch_op.f('ix_mpn_material_id'))
        batch_op.drop_index(batch_op.f('ix_mpn_manufacturer'))

    op.drop_table('mpn')
    with op.batch_alter_table('material_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_photos_updated_at'))
        batch_op.drop_index(batch_op.f('ix_material_photos_material_id'))

    op.drop_table('material_photos')
    with op.batch_alter_table('count_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_count_schedule_updated_at'))
        batch_op.drop_index(batch_op.f('ix_count_schedule_requested_by_id'))
        batch_op.drop_index('ix_count_schedule_material_id')

    op.drop_table('count_schedule')
    with op.batch_alter_table('actual_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actual_counts_updated_at'))
        batch_op.drop_index('ix_actual_counts_material_id_count_date')
        batch_op.drop_index('ix_actual_counts_location')
        batch_op.drop_index('ix_actual_counts_count_date_material_id')

    op.drop_table('actual_counts')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_updated_at'))
        batch_op.drop_index(batch_op.f('ix_users_menu_group_id'))

    op.drop_table('users')
    with op.batch_alter_table('sap_plants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sap_plants_updated_at'))
        batch_op.drop_index(batch_op.f('ix_sap_plants_org_id'))

    op.drop_table('sap_plants')
    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_menu_items_updated_at'))

    op.drop_table('menu_items')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_updated_at'))
        batch_op.drop_index(batch_op.f('ix_materials_part_type_id'))
        batch_op.drop_index('ix_materials_part_number')

    op.drop_table('materials')
    with op.batch_alter_table('location_zones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_location_zones_zone'))

    op.drop_table('location_zones')
    op.drop_table('worksheet_zones')
    op.drop_table('units_of_measure')
    with op.batch_alter_table('part_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_types_updated_at'))
        batch_op.drop_index(batch_op.f('ix_part_types_priority'))

    op.drop_table('part_types')
    with op.batch_alter_table('parameters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parameters_updated_at'))

    op.drop_table('parameters')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_updated_at'))

    op.drop_table('organizations')
    with op.batch_alter_table('menu_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_menu_groups_updated_at'))

    op.drop_table('menu_groups')
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holidays_updated_at'))

    op.drop_table('holidays')
    op.drop_table('greetings')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity_entity_key')
        batch_op.drop_index('ix_audit_log_at')

    op.drop_table('audit_log')
