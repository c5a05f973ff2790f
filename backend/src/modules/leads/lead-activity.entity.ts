import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum LeadActivityType {
  Created = 'created',
  StatusChanged = 'status_changed',
  Assigned = 'assigned',
  Note = 'note',
  Updated = 'updated',
  Deleted = 'deleted',
  Restored = 'restored',
  /** On the survivor of a merge: the other lead's id and a snapshot of all its values. */
  Merged = 'merged',
  /** On the lead that was merged away: which lead it now lives in. */
  MergedInto = 'merged_into',
  /** Created or updated by a CSV import. */
  Imported = 'imported',
}

/** The timeline of a lead. Campaign events will add their own types. */
@Entity({ name: 'lead_activities' })
@Index('idx_lead_activities_lead_seq', ['organizationId', 'leadId', 'seq'])
export class LeadActivity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of recording: changes in one transaction share a timestamp, never a sequence number. */
  @Column({ type: 'bigint', generatedIdentity: 'ALWAYS', generated: 'identity', insert: false, update: false })
  seq: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'lead_id', type: 'uuid' })
  leadId: string;

  @Column({ type: 'text' })
  type: LeadActivityType;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel: string;

  /** Details: the note text, `{ from, to }` of a change... */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
