import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '../auth/permissions';

export enum UserStatus {
  Active = 'active',
  Deactivated = 'deactivated',
}

@Entity({ name: 'users' })
@Index('uq_users_email', { synchronize: false }) // unique on lower(email), created by the migration
@Index('idx_users_org_created', ['organizationId', 'createdAt', 'id'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** Stored lower-cased; unique across Meridian (sign-in is by email alone). */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text', default: UserStatus.Active })
  status: UserStatus;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  /** Set when an admin created or reset the password: the user must choose a new one. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean;

  @Column({ name: 'mfa_secret', type: 'text', nullable: true })
  mfaSecret: string | null;

  @Column({ name: 'mfa_enabled', type: 'boolean', default: false })
  mfaEnabled: boolean;

  /** SHA-256 hashes of the unused recovery codes. */
  @Column({ name: 'mfa_recovery_codes', type: 'text', array: true, default: () => "'{}'" })
  mfaRecoveryCodes: string[];

  /** The last TOTP time step accepted: a code is never accepted twice (RFC 6238 §5.2). */
  @Column({ name: 'mfa_last_step', type: 'bigint', nullable: true })
  mfaLastStep: string | null;

  /** Sessions and access tokens issued before this are refused (deactivation, password reset). */
  @Column({ name: 'sessions_valid_after', type: 'timestamptz', nullable: true })
  sessionsValidAfter: Date | null;

  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  // Milliseconds, like JavaScript dates: keyset cursors carry this value exactly.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
