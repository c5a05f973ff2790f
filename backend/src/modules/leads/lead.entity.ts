import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum LeadStatus {
  New = 'new',
  Contacted = 'contacted',
  Qualified = 'qualified',
  Converted = 'converted',
  Lost = 'lost',
}

export enum LeadSource {
  Web = 'web',
  Import = 'import',
  Api = 'api',
  WhatsApp = 'whatsapp',
  /** Captured by the website chat widget. */
  Widget = 'widget',
  Referral = 'referral',
  Campaign = 'campaign',
  Other = 'other',
}

/**
 * A lead. Indexes match each list order (keyset pagination, never OFFSET);
 * the unique email, the name order and full-text search are expression
 * indexes created by the migration, like the duplicate-finding ones (see
 * lead-duplicates.sql.ts) and the GIN indexes on tags and on custom_fields
 * (jsonb_path_ops, for custom field filters).
 */
@Entity({ name: 'leads' })
@Index('idx_leads_org_created', ['organizationId', 'createdAt', 'id'])
@Index('idx_leads_org_updated', ['organizationId', 'updatedAt', 'id'])
@Index('idx_leads_org_score', ['organizationId', 'score', 'id'])
@Index('uq_leads_org_email', { synchronize: false })
@Index('idx_leads_org_name', { synchronize: false })
@Index('idx_leads_search', { synchronize: false })
@Index('idx_leads_tags', { synchronize: false })
@Index('idx_leads_dup_email', { synchronize: false })
@Index('idx_leads_dup_phone', { synchronize: false })
@Index('idx_leads_dup_name_company', { synchronize: false })
@Index('idx_leads_dup_company', { synchronize: false })
@Index('idx_leads_custom_fields', { synchronize: false })
@Check('chk_leads_email_trimmed', `"email" = btrim("email")`)
export class Lead {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** E.164. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  company: string | null;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'text', default: LeadSource.Other })
  source: LeadSource;

  @Column({ type: 'text', default: LeadStatus.New })
  status: LeadStatus;

  @Column({ type: 'smallint', default: 0 })
  score: number;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ name: 'custom_fields', type: 'jsonb', default: () => "'{}'" })
  customFields: Record<string, string | number | boolean | null>;

  @Column({ name: 'consent_email', type: 'boolean', default: false })
  consentEmail: boolean;

  @Column({ name: 'consent_whatsapp', type: 'boolean', default: false })
  consentWhatsapp: boolean;

  @Column({ name: 'unsubscribed_at', type: 'timestamptz', nullable: true })
  unsubscribedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', precision: 3 })
  deletedAt: Date | null;

  /** Set when this lead was merged into another (it is then deleted and cannot be restored). */
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId: string | null;
}
