import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Permission } from '../auth/permissions';

@Entity({ name: 'api_keys' })
@Index('idx_api_keys_org_created', ['organizationId', 'createdAt', 'id'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  /** Shown in lists so people can tell keys apart (`mk_ab12cd34`). */
  @Index('uq_api_keys_prefix', { unique: true })
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the whole key: keys are long random strings, so a fast hash is enough. */
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @Column({ type: 'text', array: true })
  permissions: Permission[];

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  // Milliseconds, like JavaScript dates: keyset cursors carry this value exactly.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
