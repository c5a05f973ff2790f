import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A named lead filter (and order), for its owner or shared with the organization. */
@Entity({ name: 'lead_saved_views' })
@Index('idx_lead_saved_views_org_created', ['organizationId', 'createdAt', 'id'])
export class SavedView {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'boolean', default: false })
  shared: boolean;

  /** A LeadFilter, validated when saved. */
  @Column({ type: 'jsonb' })
  filter: Record<string, unknown>;

  @Column({ type: 'text', default: 'createdAt' })
  sort: string;

  @Column({ type: 'text', default: 'desc' })
  order: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
