import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One change made by a person or a key: append-only. */
@Entity({ name: 'audit_events' })
@Index('idx_audit_events_org_created', ['organizationId', 'createdAt', 'id'])
@Index('idx_audit_events_org_entity', ['organizationId', 'entityType', 'entityId'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: 'user' | 'api-key' | 'system';

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel: string;

  /** Verb in the past tense, dotted: `user.created`, `api_key.revoked`. */
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId: string | null;

  /** What changed, without secrets: `{ role: { from: 'agent', to: 'admin' } }`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  // Milliseconds, like JavaScript dates: keyset cursors carry this value exactly.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
