import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum LeadFieldType {
  Text = 'text',
  Number = 'number',
  Boolean = 'boolean',
  Date = 'date',
  Select = 'select',
}

/**
 * A custom field of an organization's leads: its values live in
 * `leads.custom_fields` under `key`. The key and the type never change, so
 * stored values always mean what they meant when written.
 */
@Entity({ name: 'lead_field_definitions' })
@Index('uq_lead_field_definitions_org_key', ['organizationId', 'key'], { unique: true })
@Index('idx_lead_field_definitions_org_position', ['organizationId', 'position', 'key'])
export class LeadFieldDefinition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** snake_case, unique in the organization, immutable. */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text' })
  type: LeadFieldType;

  /** The allowed values of a `select` field; empty for the other types. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  options: string[];

  /** Checked when a lead is created (by the API or an import), not on later changes. */
  @Column({ type: 'boolean', default: false })
  required: boolean;

  @Column({ type: 'integer', default: 0 })
  position: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
