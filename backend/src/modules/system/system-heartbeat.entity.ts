import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per heartbeat interval, written by whichever process ran the
 * heartbeat job: proof that jobs run end to end. System data, not tenant data.
 */
@Entity({ name: 'system_heartbeats' })
export class SystemHeartbeat {
  /** floor(epoch ms / interval): the same slot is never written twice. */
  @PrimaryColumn({ type: 'bigint' })
  slot: string;

  @Index('idx_system_heartbeats_recorded_at')
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;

  @Column({ type: 'text' })
  hostname: string;

  @Column({ type: 'integer' })
  pid: number;

  @Column({ name: 'queue_mode', type: 'text' })
  queueMode: string;
}
