import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { LocalCache } from '../../cache/local-cache';
import type { Actor } from '../auth/actor';
import { authTags } from '../auth/auth-tags';
import { AuditService } from '../audit/audit.service';
import { Organization } from './organization.entity';
import { ValidationProblem } from '../../common/errors/problem';

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly audit: AuditService,
    private readonly cache: LocalCache,
  ) {}

  /** Intl (the DTO check) and PostgreSQL's tzdata can disagree on rare names: the day boundaries are cut by PostgreSQL. */
  private async databaseKnowsTimeZone(name: string): Promise<boolean> {
    const rows = await this.organizations.query<unknown[]>('SELECT 1 FROM pg_timezone_names WHERE name = $1', [name]);
    return rows.length > 0;
  }

  async get(id: string): Promise<Organization> {
    const org = await this.organizations.findOne({ where: { id } });
    if (!org) throw new NotFoundException('Organization not found');
    return org;
  }

  create(name: string, manager: EntityManager): Promise<Organization> {
    return manager.getRepository(Organization).save({ name });
  }

  async update(
    actor: Actor,
    changes: { name?: string; mfaRequired?: boolean; timeZone?: string },
  ): Promise<Organization> {
    if (changes.timeZone !== undefined && !(await this.databaseKnowsTimeZone(changes.timeZone)))
      throw new ValidationProblem([
        { field: 'timeZone', reason: `${changes.timeZone} is not a time zone the database knows` },
      ]);
    const updated = await this.organizations.manager.transaction(async (manager) => {
      const repo = manager.getRepository(Organization);
      const org = await repo.findOne({
        where: { id: actor.principal.organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!org) throw new NotFoundException('Organization not found');
      const diff: Record<string, unknown> = {};
      for (const key of ['name', 'mfaRequired', 'timeZone'] as const) {
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
