import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import { ProblemException, ValidationProblem } from '../../common/errors/problem';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { LeadScoringService } from './lead-scoring.service';
import { LeadActivitiesService } from './lead-activities.service';
import { LeadActivity, LeadActivityType } from './lead-activity.entity';
import { checkMergeChoices, MergeChoice, MergePlan, planMerge } from './lead-merge.plan';
import { Lead } from './lead.entity';
import { toLeadDto } from './leads.controller';

export interface MergeRequest {
  survivorId: string;
  mergedId: string;
  fields?: Record<string, MergeChoice>;
}

export interface MergePreview {
  survivor: Lead;
  merged: Lead;
  plan: MergePlan;
  activitiesToMove: number;
}

export interface MergeOutcome {
  survivor: Lead;
  merged: Lead;
  movedActivities: number;
  changedFields: string[];
}

/** A merged or deleted lead cannot take part: the answer says which and why. */
function assertLive(lead: Lead, role: 'survivorId' | 'mergedId'): void {
  if (lead.mergedIntoId) {
    throw new ProblemException(
      HttpStatus.CONFLICT,
      'lead_merged',
      `Lead ${lead.id} was merged into lead ${lead.mergedIntoId}.`,
      { mergedIntoId: lead.mergedIntoId, errors: [{ field: role, reason: 'was already merged into another lead' }] },
    );
  }
  if (lead.deletedAt) {
    throw new ProblemException(HttpStatus.CONFLICT, 'lead_deleted', `Lead ${lead.id} is deleted: restore it first.`, {
      errors: [{ field: role, reason: 'is deleted: restore it first' }],
    });
  }
}

/**
 * Merges two leads of one organization into one, losing nothing: the
 * survivor takes the chosen values, the other lead's timeline moves to it,
 * and the other lead stays, deleted, with `mergedIntoId` and a full snapshot
 * of its values in the survivor's `merged` activity.
 */
@Injectable()
export class LeadMergeService {
  constructor(
    @InjectRepository(Lead) private readonly leads: Repository<Lead>,
    private readonly activities: LeadActivitiesService,
    private readonly audit: AuditService,
    private readonly scoring: LeadScoringService,
  ) {}

  async preview(organizationId: string, request: MergeRequest): Promise<MergePreview> {
    const choices = this.checkRequest(request);
    const [survivor, merged] = await this.load(this.leads.manager, organizationId, request, false);
    const plan = this.plan(survivor, merged, choices);
    const activitiesToMove = await this.leads.manager
      .getRepository(LeadActivity)
      .count({ where: { organizationId, leadId: merged.id } });
    return { survivor, merged, plan, activitiesToMove };
  }

  async merge(actor: Actor, request: MergeRequest): Promise<MergeOutcome> {
    const choices = this.checkRequest(request);
    const organizationId = actor.principal.organizationId;
    let outcome: MergeOutcome;
    try {
      outcome = await this.leads.manager.transaction(async (manager) => {
        const [survivor, merged] = await this.load(manager, organizationId, request, true);
        const plan = this.plan(survivor, merged, choices);
        const snapshot = toLeadDto(merged);
        const repo = manager.getRepository(Lead);
        // The merged lead leaves the live leads first: that frees its email for the survivor
        // (the unique email index covers live leads only).
        await repo
          .createQueryBuilder()
          .update(Lead)
          .set({ mergedIntoId: survivor.id, deletedAt: () => 'now()' })
          .where('id = :id AND organization_id = :organizationId', { id: merged.id, organizationId })
          .execute();
        await repo.update({ id: survivor.id, organizationId }, plan.values);
        const moved = await manager
          .createQueryBuilder()
          .update(LeadActivity)
          .set({
            leadId: survivor.id,
            data: () => "data || jsonb_build_object('movedFromLeadId', CAST(:movedFrom AS text))",
          })
          .where('organization_id = :organizationId AND lead_id = :mergedId', {
            organizationId,
            mergedId: merged.id,
            movedFrom: merged.id,
          })
          .execute();
        const movedActivities = moved.affected ?? 0;
        await this.activities.record(manager, actor, survivor.id, LeadActivityType.Merged, {
          mergedLeadId: merged.id,
          movedActivities,
          changes: plan.changes,
          snapshot,
        });
        await this.activities.record(manager, actor, merged.id, LeadActivityType.MergedInto, {
          mergedIntoId: survivor.id,
        });
        await this.audit.record(
          actor,
          {
            action: 'lead.merged',
            entityType: 'lead',
            entityId: survivor.id,
            changes: { mergedLeadId: merged.id, movedActivities, fields: plan.changes },
          },
          manager,
        );
        const [after, gone] = await Promise.all([
          repo.findOneOrFail({ where: { id: survivor.id } }),
          repo.findOneOrFail({ where: { id: merged.id }, withDeleted: true }),
        ]);
        return { survivor: after, merged: gone, movedActivities, changedFields: Object.keys(plan.changes) };
      });
    } catch (err) {
      const driverError =
        err instanceof QueryFailedError ? (err.driverError as { code?: string; constraint?: string }) : undefined;
      // Only a lead created with the same email while this merge ran can get here.
      if (driverError?.code === '23505' && driverError.constraint === 'uq_leads_org_email') {
        throw new ProblemException(
          HttpStatus.CONFLICT,
          'duplicate_email',
          'Another lead took this email while the merge ran; try again.',
          { errors: [{ field: 'fields.email', reason: 'is already used by another lead' }] },
        );
      }
      throw err;
    }
    // The survivor's engagement now includes the merged lead's timeline.
    await this.scoring.enqueueRescore(organizationId, outcome.survivor.id).catch(() => undefined);
    return outcome;
  }

  /** What can be checked before reading the leads. */
  private checkRequest(request: MergeRequest): Record<string, MergeChoice> {
    const errors = checkMergeChoices(request.fields);
    if (request.survivorId === request.mergedId)
      errors.unshift({ field: 'mergedId', reason: 'must be another lead than survivorId' });
    if (errors.length) throw new ValidationProblem(errors);
    return request.fields ?? {};
  }

  private plan(survivor: Lead, merged: Lead, choices: Record<string, MergeChoice>): MergePlan {
    const { plan, errors } = planMerge(survivor, merged, choices);
    if (errors.length) throw new ValidationProblem(errors);
    return plan;
  }

  /**
   * Both leads of the organization, deleted ones included (to say why they cannot be merged).
   * With `lock`, the rows are locked in id order: two merges of the same leads, in either
   * direction, wait for each other instead of deadlocking, and the second sees the first's result.
   */
  private async load(
    manager: EntityManager,
    organizationId: string,
    { survivorId, mergedId }: MergeRequest,
    lock: boolean,
  ): Promise<[Lead, Lead]> {
    const qb = manager
      .getRepository(Lead)
      .createQueryBuilder('l')
      .withDeleted()
      .where('l.organization_id = :organizationId AND l.id IN (:...ids)', {
        organizationId,
        ids: [survivorId, mergedId],
      })
      .orderBy('l.id');
    if (lock) qb.setLock('pessimistic_write');
    const rows = await qb.getMany();
    const survivor = rows.find((l) => l.id === survivorId);
    const merged = rows.find((l) => l.id === mergedId);
    if (!survivor) throw new NotFoundException(`No lead ${survivorId}`);
    if (!merged) throw new NotFoundException(`No lead ${mergedId}`);
    assertLive(survivor, 'survivorId');
    assertLive(merged, 'mergedId');
    return [survivor, merged];
  }
}
