import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationProblem } from '../../common/errors/problem';
import type { Actor } from '../auth/actor';
import { Permission } from '../auth/permissions';
import { AuditService } from '../audit/audit.service';
import { Task } from '../tasks/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { UsersService } from '../users/users.service';
import { BulkAction, BulkLeadsDto } from './dto/lead-bulk.dto';
import { applyBulkBatch, BatchOutcome, BulkOperation, scopeFilter, selectBatch } from './lead-bulk';
import type { LeadFilter } from './lead-filter';
import { LeadsService } from './leads.service';

/** Selections up to this size change at once; larger ones run as a `lead.bulk` task with progress. */
export const BULK_SYNC_LIMIT = 200;
export const BULK_TASK_KIND = 'lead.bulk';

export interface LeadBulkParams extends BulkOperation {
  ids?: string[];
  filter?: LeadFilter;
}

const TITLES: Record<BulkAction, string> = {
  [BulkAction.SetStatus]: 'Change status',
  [BulkAction.Assign]: 'Assign owner',
  [BulkAction.AddTags]: 'Add tags',
  [BulkAction.RemoveTags]: 'Remove tags',
  [BulkAction.Delete]: 'Delete',
  [BulkAction.Restore]: 'Restore',
};

@Injectable()
export class LeadBulkService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly leads: LeadsService,
    private readonly users: UsersService,
    private readonly tasks: TasksService,
    private readonly audit: AuditService,
  ) {}

  /** Small selections change at once (one transaction); large ones become a task. */
  async apply(actor: Actor, body: BulkLeadsDto): Promise<{ outcome: BatchOutcome } | { task: Task }> {
    const organizationId = actor.principal.organizationId;
    if ((body.ids === undefined) === (body.filter === undefined)) {
      throw new ValidationProblem([{ field: 'ids', reason: 'give either ids or filter (exactly one)' }]);
    }
    if (
      (body.action === BulkAction.Delete || body.action === BulkAction.Restore) &&
      !actor.principal.permissions.includes(Permission.LeadsDelete)
    ) {
      throw new ForbiddenException(`${body.action} needs the ${Permission.LeadsDelete} permission`);
    }
    if (body.action === BulkAction.Assign) {
      if (body.ownerId === undefined) {
        throw new ValidationProblem([{ field: 'ownerId', reason: 'is required for assign (null unassigns)' }]);
      }
      await this.leads.assertOwner(organizationId, body.ownerId);
    }
    const op: BulkOperation = { action: body.action, status: body.status, ownerId: body.ownerId, tags: body.tags };
    const selection = { ids: body.ids ? [...new Set(body.ids)] : undefined, filter: body.filter };
    const total =
      selection.ids?.length ?? (await this.leads.count(organizationId, scopeFilter(op.action, selection.filter)));
    const audit = {
      action: 'lead.bulk',
      entityType: 'lead',
      changes: { action: body.action, status: body.status, ownerId: body.ownerId, tags: body.tags, selected: total },
    };

    if (selection.ids && selection.ids.length <= BULK_SYNC_LIMIT) {
      return this.dataSource.transaction(async (manager) => {
        const ids = await selectBatch(manager, organizationId, selection, op.action, null, BULK_SYNC_LIMIT);
        const outcome = await applyBulkBatch(
          manager,
          organizationId,
          { id: actor.principal.id, label: actor.principal.label },
          ids,
          op,
        );
        // Ids that are not (live) leads of this organization count as unchanged.
        outcome.unchanged += selection.ids!.length - ids.length;
        await this.audit.record(actor, { ...audit, changes: { ...audit.changes, ...outcome } }, manager);
        return { outcome };
      });
    }
    const params: LeadBulkParams = { ...op, ...selection };
    const task = await this.tasks.start(actor, {
      kind: BULK_TASK_KIND,
      title: `${TITLES[body.action]}: ${total} lead${total === 1 ? '' : 's'}`,
      params: params as unknown as Record<string, unknown>,
      total,
    });
    await this.audit.record(actor, { ...audit, entityType: 'task', entityId: task.id });
    return { task };
  }
}
