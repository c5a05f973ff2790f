import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as os from 'node:os';
import { LessThan, Repository } from 'typeorm';
import { SystemHeartbeat } from './system-heartbeat.entity';

export const HEARTBEAT_RETENTION_DAYS = 7;

@Injectable()
export class HeartbeatService {
  constructor(@InjectRepository(SystemHeartbeat) private readonly heartbeats: Repository<SystemHeartbeat>) {}

  /** Idempotent: a slot already recorded is left as it is. */
  async record(slot: number, queueMode: string): Promise<void> {
    await this.heartbeats
      .createQueryBuilder()
      .insert()
      .values({ slot: String(slot), hostname: os.hostname(), pid: process.pid, queueMode })
      .orIgnore()
      .execute();
    const cutoff = new Date(Date.now() - HEARTBEAT_RETENTION_DAYS * 24 * 3600 * 1000);
    await this.heartbeats.delete({ recordedAt: LessThan(cutoff) });
  }

  latest(): Promise<SystemHeartbeat | null> {
    return this.heartbeats.findOne({ where: {}, order: { recordedAt: 'DESC' } });
  }
}
