import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The tenant: every business row belongs to exactly one organization. */
@Entity({ name: 'organizations' })
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Owners and admins must use MFA. */
  @Column({ name: 'mfa_required', type: 'boolean', default: false })
  mfaRequired: boolean;

  /** IANA name: where the organization's days start and end (analytics, reports). */
  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
