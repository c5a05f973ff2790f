import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Page, pageByCreation } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  changes?: Record<string, unknown>;
}

export interface AuditQuery {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Records a change; pass the transaction's manager so the entry commits with the change. */
  async record(actor: Actor, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEvent) : this.events;
    await repo.insert({
      organizationId: actor.principal.organizationId,
      actorType: actor.principal.kind,
      actorId: actor.principal.id,
      actorLabel: actor.principal.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      changes: (entry.changes ?? {}) as AuditEvent['changes'] & object,
      ip: actor.ip,
      requestId: actor.requestId,
    });
  }

  /** Records a change made by the system for no signed-in principal (a webhook, the public widget). */
  async recordSystem(organizationId: string, label: string, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEvent) : this.events;
    await repo.insert({
      organizationId,
      actorType: 'system',
      actorId: null,
      actorLabel: label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      changes: (entry.changes ?? {}) as AuditEvent['changes'] & object,
      ip: null,
      requestId: null,
    });
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  list(organizationId: string, query: AuditQuery): Promise<Page<AuditEvent>> {
    const qb = this.events.createQueryBuilder('e').where('e.organization_id = :organizationId', { organizationId });
    if (query.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: query.actorId });
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.entityType) qb.andWhere('e.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: query.entityId });
    if (query.from) qb.andWhere('e.created_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.created_at < :to', { to: query.to });
    return pageByCreation(qb, 'e', 'DESC', query.limit, query.cursor);
  }
}
