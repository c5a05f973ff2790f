import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { LeadActivity, LeadActivityType } from './lead-activity.entity';

@Injectable()
export class LeadActivitiesService {
  constructor(@InjectRepository(LeadActivity) private readonly activities: Repository<LeadActivity>) {}

  /** Adds to a lead's timeline, inside the transaction of the change it describes. */
  async record(
    manager: EntityManager,
    actor: Actor,
    leadId: string,
    type: LeadActivityType,
    data: Record<string, unknown> = {},
  ): Promise<LeadActivity> {
    return manager.getRepository(LeadActivity).save({
      organizationId: actor.principal.organizationId,
      leadId,
      type,
      actorId: actor.principal.id,
      actorLabel: actor.principal.label,
      data,
    });
  }

  /**
   * Adds an entry made by the system rather than a person (campaign events):
   * no actor id, and a label such as "Campaign Spring sale".
   */
  async recordSystem(
    manager: EntityManager,
    organizationId: string,
    actorLabel: string,
    leadId: string,
    type: LeadActivityType,
    data: Record<string, unknown> = {},
  ): Promise<LeadActivity> {
    return manager.getRepository(LeadActivity).save({ organizationId, leadId, type, actorId: null, actorLabel, data });
  }

  /** Newest first, keyset-paginated on the recording sequence. The caller has checked the lead's organization. */
  async list(organizationId: string, leadId: string, limit: number, cursor?: string): Promise<Page<LeadActivity>> {
    const qb = this.activities
      .createQueryBuilder('a')
      .where('a.organization_id = :organizationId AND a.lead_id = :leadId', { organizationId, leadId })
      .orderBy('a.seq', 'DESC')
      .limit(limit + 1);
    if (cursor) qb.andWhere('a.seq < :seq', { seq: decodeCursor(cursor, 1)[0] });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([String(last.seq)]) : null };
  }
}
