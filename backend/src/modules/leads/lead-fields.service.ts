import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { FieldError, ProblemException, ValidationProblem } from '../../common/errors/problem';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CustomFieldValidator, MAX_LEAD_FIELDS_PER_ORGANIZATION } from './custom-fields';
import { CreateLeadFieldDto, UpdateLeadFieldDto } from './dto/lead-field.dto';
import { LeadFieldDefinition, LeadFieldType } from './lead-field-definition.entity';

/** Options must be given for a select field only, each once (matching is case-insensitive). */
function optionErrors(type: LeadFieldType, options: string[] | undefined, creating: boolean): FieldError[] {
  if (type !== LeadFieldType.Select) {
    return options !== undefined && options.length > 0
      ? [{ field: 'options', reason: 'only select fields have options' }]
      : [];
  }
  if (options === undefined) return creating ? [{ field: 'options', reason: 'a select field needs options' }] : [];
  if (options.length === 0) return [{ field: 'options', reason: 'a select field needs at least one option' }];
  const seen = new Set<string>();
  for (const option of options) {
    const folded = option.toLowerCase();
    if (seen.has(folded)) return [{ field: 'options', reason: `lists "${option}" twice` }];
    seen.add(folded);
  }
  return [];
}

/** An organization's field definitions, in their order: for this service, and for job handlers (no request). */
export function findFieldDefinitions(
  repo: Repository<LeadFieldDefinition>,
  organizationId: string,
): Promise<LeadFieldDefinition[]> {
  return repo.find({
    where: { organizationId },
    order: { position: 'ASC', key: 'ASC' },
    take: MAX_LEAD_FIELDS_PER_ORGANIZATION * 2,
  });
}

/** A validator of an organization's custom values, for job handlers (imports, bulk changes). */
export async function fieldValidatorFor(dataSource: DataSource, organizationId: string): Promise<CustomFieldValidator> {
  return new CustomFieldValidator(
    await findFieldDefinitions(dataSource.getRepository(LeadFieldDefinition), organizationId),
  );
}

/** How long a process reuses an organization's field keys for reads. */
export const VISIBLE_KEYS_TTL_MS = 5_000;

@Injectable()
export class LeadFieldsService {
  private readonly perRequest = new WeakMap<Actor, Promise<CustomFieldValidator>>();
  /** Recent definitions per organization, for reads only (lists and lead answers): see visibleKeys. */
  private readonly recent = new Map<string, { at: number; validator: Promise<CustomFieldValidator> }>();

  constructor(
    @InjectRepository(LeadFieldDefinition) private readonly fields: Repository<LeadFieldDefinition>,
    private readonly audit: AuditService,
  ) {}

  /** The organization's fields, in their order. */
  list(organizationId: string): Promise<LeadFieldDefinition[]> {
    return findFieldDefinitions(this.fields, organizationId);
  }

  /** A validator of custom values for the organization; build one per request or per import. */
  async validatorFor(organizationId: string): Promise<CustomFieldValidator> {
    return new CustomFieldValidator(await this.list(organizationId));
  }

  /** The same, loaded once per request: the actor object lives as long as its request. */
  validatorForActor(actor: Actor): Promise<CustomFieldValidator> {
    let validator = this.perRequest.get(actor);
    if (!validator) {
      validator = this.validatorFor(actor.principal.organizationId);
      this.perRequest.set(actor, validator);
    }
    return validator;
  }

  /**
   * The custom field keys lead answers show. Read paths (every list page)
   * reuse what this process loaded in the last few seconds instead of asking
   * the database each time; a change made here is seen at once, one made on
   * another API replica within VISIBLE_KEYS_TTL_MS. Writes always validate
   * against fresh definitions (validatorForActor).
   */
  async visibleKeys(actor: Actor): Promise<ReadonlySet<string>> {
    const loaded = this.perRequest.get(actor);
    if (loaded) return (await loaded).keys;
    const organizationId = actor.principal.organizationId;
    const now = Date.now();
    let entry = this.recent.get(organizationId);
    if (!entry || now - entry.at > VISIBLE_KEYS_TTL_MS) {
      entry = { at: now, validator: this.validatorFor(organizationId) };
      entry.validator.catch(() => this.recent.delete(organizationId));
      this.recent.set(organizationId, entry);
    }
    return (await entry.validator).keys;
  }

  async create(actor: Actor, input: CreateLeadFieldDto): Promise<LeadFieldDefinition> {
    const organizationId = actor.principal.organizationId;
    const errors = optionErrors(input.type, input.options, true);
    if (errors.length > 0) throw new ValidationProblem(errors);
    try {
      return await this.forgetAfter(
        actor,
        this.fields.manager.transaction(async (manager) => {
          // One creator at a time per organization, so the limit and the next position hold.
          await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
            `lead_field_definitions:${organizationId}`,
          ]);
          const repo = manager.getRepository(LeadFieldDefinition);
          const stats = await repo
            .createQueryBuilder('f')
            .select('count(*)::int', 'count')
            .addSelect('coalesce(max(f.position) + 1, 0)::int', 'next')
            .where('f.organization_id = :organizationId', { organizationId })
            .getRawOne<{ count: number; next: number }>();
          if ((stats?.count ?? 0) >= MAX_LEAD_FIELDS_PER_ORGANIZATION)
            throw new ProblemException(
              HttpStatus.CONFLICT,
              'field_limit_reached',
              `An organization can define up to ${MAX_LEAD_FIELDS_PER_ORGANIZATION} custom fields; delete one first.`,
            );
          const field = await repo.save({
            organizationId,
            key: input.key,
            label: input.label,
            type: input.type,
            options: input.type === LeadFieldType.Select ? (input.options ?? []) : [],
            required: input.required ?? false,
            position: input.position ?? Math.min(stats?.next ?? 0, 10_000),
          });
          await this.audit.record(
            actor,
            {
              action: 'lead_field.created',
              entityType: 'lead_field',
              entityId: field.id,
              changes: { key: field.key, type: field.type },
            },
            manager,
          );
          return field;
        }),
      );
    } catch (err) {
      const driverError =
        err instanceof QueryFailedError ? (err.driverError as { code?: string; constraint?: string }) : undefined;
      if (driverError?.code === '23505' && driverError.constraint === 'uq_lead_field_definitions_org_key')
        throw new ProblemException(
          HttpStatus.CONFLICT,
          'duplicate_field_key',
          `A custom field with the key ${input.key} already exists.`,
          { errors: [{ field: 'key', reason: 'is already used by another custom field' }] },
        );
      throw err;
    }
  }

  async update(actor: Actor, id: string, input: UpdateLeadFieldDto): Promise<LeadFieldDefinition> {
    return this.forgetAfter(
      actor,
      this.fields.manager.transaction(async (manager) => {
        const repo = manager.getRepository(LeadFieldDefinition);
        const field = await repo.findOne({
          where: { id, organizationId: actor.principal.organizationId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!field) throw new NotFoundException(`No custom field ${id}`);
        const errors = optionErrors(field.type, input.options, false);
        if (errors.length > 0) throw new ValidationProblem(errors);
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        for (const key of ['label', 'options', 'required', 'position'] as const) {
          const value = input[key];
          if (value !== undefined && JSON.stringify(field[key]) !== JSON.stringify(value))
            changes[key] = { from: field[key], to: value };
        }
        if (Object.keys(changes).length === 0) return field;
        for (const [key, change] of Object.entries(changes))
          (field as unknown as Record<string, unknown>)[key] = change.to;
        const saved = await repo.save(field);
        await this.audit.record(
          actor,
          { action: 'lead_field.updated', entityType: 'lead_field', entityId: id, changes },
          manager,
        );
        return saved;
      }),
    );
  }

  /** Removes the definition only: values stay stored in the leads, unseen, and return if the key is defined again. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.forgetAfter(
      actor,
      this.fields.manager.transaction(async (manager) => {
        const repo = manager.getRepository(LeadFieldDefinition);
        const field = await repo.findOne({ where: { id, organizationId: actor.principal.organizationId } });
        if (!field) throw new NotFoundException(`No custom field ${id}`);
        await repo.delete({ id: field.id });
        await this.audit.record(
          actor,
          { action: 'lead_field.deleted', entityType: 'lead_field', entityId: id, changes: { key: field.key } },
          manager,
        );
      }),
    );
  }

  /** Drops the organization's cached keys once a change has committed (or failed). */
  private forgetAfter<T>(actor: Actor, change: Promise<T>): Promise<T> {
    const organizationId = actor.principal.organizationId;
    return change.finally(() => this.recent.delete(organizationId));
  }
}
