import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProblemException } from '../../common/errors/problem';
import { Page, pageByCreation } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { LeadAudienceService } from '../leads/lead-audience.service';
import { storeFilter } from './audience.service';
import { Campaign } from './campaign.entity';
import type { CreateSegmentDto, UpdateSegmentDto } from './dto/segment.dto';
import { Segment } from './segment.entity';

/** Campaigns that still need their segment: it is evaluated when they start sending. */
const LIVE_STATUSES = ['scheduled', 'sending', 'paused'];

@Injectable()
export class SegmentsService {
  constructor(
    @InjectRepository(Segment) private readonly segments: Repository<Segment>,
    private readonly leadAudience: LeadAudienceService,
    private readonly audit: AuditService,
  ) {}

  async get(organizationId: string, id: string): Promise<Segment> {
    const segment = await this.segments.findOne({ where: { id, organizationId } });
    if (!segment) throw new NotFoundException(`No segment ${id}`);
    return segment;
  }

  list(organizationId: string, limit: number, cursor?: string): Promise<Page<Segment>> {
    const qb = this.segments.createQueryBuilder('s').where('s.organization_id = :org', { org: organizationId });
    return pageByCreation(qb, 's', 'DESC', limit, cursor);
  }

  async create(actor: Actor, input: CreateSegmentDto): Promise<Segment> {
    const organizationId = actor.principal.organizationId;
    await this.leadAudience.prepare(organizationId, input.filter, 'filter');
    return this.segments.manager.transaction(async (manager) => {
      const segment = await manager.getRepository(Segment).save({
        organizationId,
        name: input.name.trim(),
        description: input.description ?? null,
        filter: storeFilter(input.filter),
        createdBy: actor.principal.kind === 'user' ? actor.principal.id : null,
      });
      await this.audit.record(
        actor,
        { action: 'segment.created', entityType: 'segment', entityId: segment.id, changes: { name: segment.name } },
        manager,
      );
      return segment;
    });
  }

  async update(actor: Actor, id: string, input: UpdateSegmentDto): Promise<Segment> {
    const organizationId = actor.principal.organizationId;
    if (input.filter) await this.leadAudience.prepare(organizationId, input.filter, 'filter');
    return this.segments.manager.transaction(async (manager) => {
      const repo = manager.getRepository(Segment);
      const segment = await repo.findOne({ where: { id, organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!segment) throw new NotFoundException(`No segment ${id}`);
      const diff: Record<string, unknown> = {};
      if (input.name !== undefined && input.name.trim() !== segment.name) {
        diff.name = { from: segment.name, to: input.name.trim() };
        segment.name = input.name.trim();
      }
      if (input.description !== undefined && input.description !== segment.description) {
        diff.description = { from: segment.description, to: input.description };
        segment.description = input.description ?? null;
      }
      if (input.filter) {
        const filter = storeFilter(input.filter);
        if (JSON.stringify(filter) !== JSON.stringify(segment.filter)) {
          diff.filter = { from: segment.filter, to: filter };
          segment.filter = filter;
        }
      }
      if (Object.keys(diff).length === 0) return segment;
      const saved = await repo.save(segment);
      await this.audit.record(
        actor,
        { action: 'segment.updated', entityType: 'segment', entityId: id, changes: diff },
        manager,
      );
      return saved;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const organizationId = actor.principal.organizationId;
    await this.segments.manager.transaction(async (manager) => {
      const segment = await manager
        .getRepository(Segment)
        .findOne({ where: { id, organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!segment) throw new NotFoundException(`No segment ${id}`);
      const users = await manager
        .getRepository(Campaign)
        .createQueryBuilder('c')
        .select(['c.id', 'c.name', 'c.status'])
        .where('c.organization_id = :org', { org: organizationId })
        .andWhere("c.audience ->> 'segmentId' = :id", { id })
        .andWhere('c.status IN (:...live)', { live: LIVE_STATUSES })
        .limit(5)
        .getMany();
      if (users.length > 0) {
        throw new ProblemException(
          HttpStatus.CONFLICT,
          'segment_in_use',
          `The segment is the audience of ${users.map((c) => `"${c.name}" (${c.status})`).join(', ')}: ` +
            'unschedule or cancel those campaigns first.',
          { campaignIds: users.map((c) => c.id) },
          'Segment in use',
        );
      }
      await manager.getRepository(Segment).delete({ id });
      await this.audit.record(
        actor,
        { action: 'segment.deleted', entityType: 'segment', entityId: id, changes: { name: segment.name } },
        manager,
      );
    });
  }
}
