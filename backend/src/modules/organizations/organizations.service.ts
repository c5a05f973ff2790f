import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { LocalCache } from '../../cache/local-cache';
import type { Actor } from '../auth/actor';
import { authTags } from '../auth/auth-tags';
import { AuditService } from '../audit/audit.service';
import { Organization } from './organization.entity';

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly audit: AuditService,
    private readonly cache: LocalCache,
  ) {}

  async get(id: string): Promise<Organization> {
    const org = await this.organizations.findOne({ where: { id } });
    if (!org) throw new NotFoundException('Organization not found');
    return org;
  }

  create(name: string, manager: EntityManager): Promise<Organization> {
    return manager.getRepository(Organization).save({ name });
  }

  async update(actor: Actor, changes: { name?: string; mfaRequired?: boolean }): Promise<Organization> {
    const updated = await this.organizations.manager.transaction(async (manager) => {
      const repo = manager.getRepository(Organization);
      const org = await repo.findOne({
        where: { id: actor.principal.organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!org) throw new NotFoundException('Organization not found');
      const diff: Record<string, unknown> = {};
      for (const key of ['name', 'mfaRequired'] as const) {
        if (changes[key] !== undefined && changes[key] !== org[key]) diff[key] = { from: org[key], to: changes[key] };
      }
      Object.assign(org, changes);
      await repo.save(org);
      if (Object.keys(diff).length > 0) {
        await this.audit.record(
          actor,
          { action: 'organization.updated', entityType: 'organization', entityId: org.id, changes: diff },
          manager,
        );
      }
      return org;
    });
    await this.cache.invalidate(authTags.organization(updated.id));
    return updated;
  }
}
