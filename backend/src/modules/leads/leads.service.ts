import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isValidPhoneNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import { ProblemException, ValidationProblem } from '../../common/errors/problem';
import { decodeCursor, encodeCursor, invalidCursor, MAX_PAGE_SIZE, Page } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { UsersService } from '../users/users.service';
import { CustomFieldValue, mergeCustomFields } from './custom-fields';
import { CreateLeadDto, LeadSort, UpdateLeadDto } from './dto/lead.dto';
import { applyLeadFilter, LeadFilter } from './lead-filter';
import { SqlWhere } from '../../database/sql-where';
import { AppConfig } from '../../config/app-config';
import { poolOf, queryIsoRows } from '../../database/pool-query';
import { LeadActivityType } from './lead-activity.entity';
import { LeadActivitiesService } from './lead-activities.service';
import { LeadFieldsService } from './lead-fields.service';
import { NO_ENGAGEMENT, scoreLead } from './lead-scoring';
import { LeadScoringService } from './lead-scoring.service';
import { Lead, LeadSource } from './lead.entity';

/** Who wrote in, as a channel knows them (phone in E.164). */
export interface ContactLead {
  phone?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  source: LeadSource;
  consentEmail?: boolean;
  consentWhatsapp?: boolean;
}

/** A lead as a list reads it: the entity's fields, straight from the row. */
export type LeadRow = Omit<Lead, 'organizationId'>;

const LEAD_ROW_COLUMNS: Record<keyof LeadRow, string> = {
  id: 'id',
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  company: 'company',
  title: 'title',
  source: 'source',
  status: 'status',
  score: 'score',
  ownerId: 'owner_id',
  tags: 'tags',
  customFields: 'custom_fields',
  consentEmail: 'consent_email',
  consentWhatsapp: 'consent_whatsapp',
  unsubscribedAt: 'unsubscribed_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  deletedAt: 'deleted_at',
  mergedIntoId: 'merged_into_id',
};
const LEAD_ROW_SELECT_SQL = Object.entries(LEAD_ROW_COLUMNS)
  .map(([field, column]) => `l.${column} AS "${field}"`)
  .join(', ');

type LeadTimestamp = 'createdAt' | 'updatedAt' | 'deletedAt' | 'unsubscribedAt';
/** A lead as the list reads it: the row as it is, timestamps as ISO 8601 strings. */
export type ListedLead = Omit<LeadRow, LeadTimestamp> & {
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  unsubscribedAt: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SMALLINT = /^-?\d{1,5}$/;
/** A timestamp as PostgreSQL writes it (`2026-12-07 00:46:39.676123+00`) or as ISO 8601 (older cursors). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** The validated page size, written into the SQL: a prepared statement's plan then knows it. */
function pageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new Error(`page size ${limit} out of range`);
  return limit;
}

/** A cursor of this list and sort; a 400 when its values would not fit their casts (never a SQL error). */
function decodeListCursor(cursor: string, sort: LeadSort): [string, string] {
  const [value, id] = decodeCursor(cursor, 2) as [string, string];
  const fits =
    UUID.test(id) &&
    (sort === 'name' ||
      (sort === 'score' ? SMALLINT.test(value) && Math.abs(Number(value)) <= 32767 : TIMESTAMP.test(value)));
  if (!fits) throw invalidCursor();
  return [value, id];
}

/** SQL of each sort key; each has a matching index (see lead.entity.ts and the migration). */
const SORT_SQL: Record<LeadSort, string> = {
  createdAt: 'l.created_at',
  updatedAt: 'l.updated_at',
  score: 'l.score',
  name: "lower(coalesce(l.last_name, '') || ' ' || coalesce(l.first_name, ''))",
};

function fieldError(field: string, reason: string, code = 'validation_failed', status = HttpStatus.BAD_REQUEST) {
  return new ProblemException(status, code, `${field}: ${reason}`, { errors: [{ field, reason }] });
}

/** Why a lead without any of these cannot be stored. */
export const NO_IDENTITY_REASON = 'a lead needs at least an email, a phone, a name or a company';

/** A lead must be findable: an email, a phone, a name or a company. */
export function hasIdentity(fields: {
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
}): boolean {
  return Boolean(fields.email || fields.phone || fields.firstName || fields.lastName || fields.company);
}

/** E.164 from what people type, or the reason it is not a phone number (the API and imports share it). */
export function parsePhone(
  phone: string | null | undefined,
  defaultCountry?: string,
): { phone: string | null | undefined } | { reason: string } {
  if (phone === undefined || phone === null) return { phone };
  const country = defaultCountry as CountryCode | undefined;
  const parsed = parsePhoneNumberFromString(phone, country);
  if (!parsed || !isValidPhoneNumber(phone, country)) {
    return {
      reason: country
        ? `is not a valid phone number for ${country}`
        : 'is not a valid phone number (start with + and the country code, or give defaultCountry)',
    };
  }
  return { phone: parsed.number };
}

/** E.164 from what people type; a clear error otherwise. */
export function normalisePhone(phone: string | null | undefined, defaultCountry?: string): string | null | undefined {
  const result = parsePhone(phone, defaultCountry);
  if ('reason' in result) throw fieldError('phone', result.reason);
  return result.phone;
}

@Injectable()
export class LeadsService {
  private readonly logger = new Logger(LeadsService.name);

  constructor(
    @InjectRepository(Lead) private readonly leads: Repository<Lead>,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly activities: LeadActivitiesService,
    private readonly fields: LeadFieldsService,
    private readonly scoring: LeadScoringService,
    private readonly config: AppConfig,
  ) {}

  async get(organizationId: string, id: string, withDeleted = false): Promise<Lead> {
    const lead = await this.leads.findOne({ where: { id, organizationId }, withDeleted });
    if (!lead) throw new NotFoundException(`No lead ${id}`);
    return lead;
  }

  async create(actor: Actor, input: CreateLeadDto): Promise<Lead> {
    const { defaultCountry, ...fields } = input;
    if (!hasIdentity(fields)) throw fieldError('email', NO_IDENTITY_REASON);
    const custom = (await this.fields.validatorForActor(actor)).validate(fields.customFields, { create: true });
    if (custom.errors.length > 0) throw new ValidationProblem(custom.errors);
    await this.assertOwner(actor.principal.organizationId, fields.ownerId);
    const values = {
      ...fields,
      phone: normalisePhone(fields.phone, defaultCountry),
      email: fields.email?.toLowerCase() ?? null,
      customFields: mergeCustomFields({}, custom.values),
    };
    // A new lead has no timeline yet: its score needs nothing but its own fields.
    const now = new Date();
    const { score } = scoreLead(
      {
        firstName: values.firstName ?? null,
        lastName: values.lastName ?? null,
        email: values.email,
        phone: values.phone ?? null,
        company: values.company ?? null,
        title: values.title ?? null,
        source: values.source ?? LeadSource.Other,
        consentEmail: values.consentEmail ?? false,
        consentWhatsapp: values.consentWhatsapp ?? false,
        unsubscribedAt: null,
        createdAt: now,
        updatedAt: now,
      },
      NO_ENGAGEMENT,
      now,
    );
    return this.saveUnique(actor, values.email ?? null, () =>
      this.leads.manager.transaction(async (manager) => {
        const lead = await manager
          .getRepository(Lead)
          .save({ ...values, score, organizationId: actor.principal.organizationId });
        await this.activities.record(manager, actor, lead.id, LeadActivityType.Created, { source: lead.source });
        await this.audit.record(
          actor,
          { action: 'lead.created', entityType: 'lead', entityId: lead.id, changes: { email: lead.email } },
          manager,
        );
        return lead;
      }),
    );
  }

  /**
   * The lead behind a contact that wrote in (WhatsApp, the website widget),
   * inside the caller's transaction: the oldest live lead with this phone
   * (or email), else a new one made by the system (timeline + audit say so).
   */
  async findOrCreateForContact(
    manager: EntityManager,
    organizationId: string,
    contact: ContactLead,
    systemLabel: string,
  ): Promise<{ lead: Lead; created: boolean }> {
    const repo = manager.getRepository(Lead);
    const find = async () => {
      const qb = repo.createQueryBuilder('l').where('l.organization_id = :org', { org: organizationId });
      if (contact.email) qb.andWhere('lower(l.email) = :email', { email: contact.email.toLowerCase() });
      else qb.andWhere('l.phone = :phone', { phone: contact.phone });
      return qb.orderBy('l.created_at', 'ASC').addOrderBy('l.id', 'ASC').getOne();
    };
    if (!contact.email && !contact.phone) throw new Error('a contact needs an email or a phone');
    const existing = await find();
    if (existing) return { lead: existing, created: false };
    const now = new Date();
    const values = {
      firstName: contact.firstName ?? null,
      lastName: contact.lastName ?? null,
      email: contact.email?.toLowerCase() ?? null,
      phone: contact.phone ?? null,
      company: null,
      title: null,
      source: contact.source,
      consentEmail: contact.consentEmail ?? false,
      consentWhatsapp: contact.consentWhatsapp ?? false,
      unsubscribedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const { score } = scoreLead(values, NO_ENGAGEMENT, now);
    const { createdAt: _c, updatedAt: _u, unsubscribedAt: _s, ...columns } = values;
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({ ...columns, score, organizationId })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    // A concurrent capture of the same email won the unique index: attach to its lead.
    if (!id) {
      const winner = await find();
      if (!winner) throw new Error('lead insert ignored but no lead found');
      return { lead: winner, created: false };
    }
    const lead = await repo.findOneOrFail({ where: { id } });
    await this.activities.recordSystem(manager, organizationId, systemLabel, id, LeadActivityType.Created, {
      source: lead.source,
    });
    await this.audit.recordSystem(
      organizationId,
      systemLabel,
      { action: 'lead.created', entityType: 'lead', entityId: id, changes: { email: lead.email, phone: lead.phone } },
      manager,
    );
    return { lead, created: true };
  }

  async update(actor: Actor, id: string, input: UpdateLeadDto): Promise<Lead> {
    const { defaultCountry, customFields, ...fields } = input;
    let customChanges: Record<string, CustomFieldValue | null> | undefined;
    if (customFields !== undefined) {
      const custom = (await this.fields.validatorForActor(actor)).validate(customFields);
      if (custom.errors.length > 0) throw new ValidationProblem(custom.errors);
      customChanges = custom.values;
    }
    await this.assertOwner(actor.principal.organizationId, fields.ownerId);
    const changes: Partial<Lead> = { ...fields };
    if (fields.phone !== undefined) changes.phone = normalisePhone(fields.phone, defaultCountry) ?? null;
    if (fields.email !== undefined) changes.email = fields.email?.toLowerCase() ?? null;
    return this.saveUnique(actor, changes.email ?? null, () =>
      this.leads.manager.transaction(async (manager) => {
        const repo = manager.getRepository(Lead);
        const lead = await repo.findOne({
          where: { id, organizationId: actor.principal.organizationId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!lead) throw new NotFoundException(`No lead ${id}`);
        const diff: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(changes)) {
          const before = (lead as unknown as Record<string, unknown>)[key];
          if (JSON.stringify(before) !== JSON.stringify(value)) diff[key] = { from: before, to: value };
        }
        // Custom fields merge: only the keys given change, null removes one.
        const customDiff = Object.entries(customChanges ?? {}).filter(
          ([key, value]) => (lead.customFields[key] ?? null) !== value,
        );
        for (const [key, value] of customDiff)
          diff[`customFields.${key}`] = { from: lead.customFields[key] ?? null, to: value };
        if (Object.keys(diff).length === 0) return lead;
        Object.assign(lead, changes);
        if (customDiff.length > 0) lead.customFields = mergeCustomFields(lead.customFields, customChanges ?? {});
        const now = new Date();
        lead.score = await this.scoring.scoreWithin(
          manager,
          actor.principal.organizationId,
          { ...lead, updatedAt: now },
          now,
        );
        const saved = await repo.save(lead);
        const { status, ownerId, ...rest } = diff;
        if (status)
          await this.activities.record(
            manager,
            actor,
            id,
            LeadActivityType.StatusChanged,
            status as Record<string, unknown>,
          );
        if (ownerId)
          await this.activities.record(
            manager,
            actor,
            id,
            LeadActivityType.Assigned,
            ownerId as Record<string, unknown>,
          );
        if (Object.keys(rest).length > 0)
          await this.activities.record(manager, actor, id, LeadActivityType.Updated, { fields: Object.keys(rest) });
        await this.audit.record(
          actor,
          { action: 'lead.updated', entityType: 'lead', entityId: id, changes: diff },
          manager,
        );
        return saved;
      }),
    );
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.leads.manager.transaction(async (manager) => {
      const result = await manager
        .getRepository(Lead)
        .softDelete({ id, organizationId: actor.principal.organizationId });
      if (!result.affected) throw new NotFoundException(`No lead ${id}`);
      await this.activities.record(manager, actor, id, LeadActivityType.Deleted);
      await this.audit.record(actor, { action: 'lead.deleted', entityType: 'lead', entityId: id }, manager);
    });
  }

  async restore(actor: Actor, id: string): Promise<Lead> {
    const lead = await this.get(actor.principal.organizationId, id, true);
    if (lead.mergedIntoId) {
      // Its values and timeline live on in the survivor; two copies of one person would be back.
      throw new ProblemException(
        HttpStatus.CONFLICT,
        'lead_merged',
        `Lead ${id} was merged into lead ${lead.mergedIntoId} and cannot be restored.`,
        { mergedIntoId: lead.mergedIntoId },
      );
    }
    if (!lead.deletedAt) return lead;
    const restored = await this.saveUnique(actor, lead.email, () =>
      this.leads.manager.transaction(async (manager) => {
        await manager.getRepository(Lead).restore({ id, organizationId: actor.principal.organizationId });
        await this.activities.record(manager, actor, id, LeadActivityType.Restored);
        await this.audit.record(actor, { action: 'lead.restored', entityType: 'lead', entityId: id }, manager);
        return manager.getRepository(Lead).findOneOrFail({ where: { id } });
      }),
    );
    // Time passed while it was deleted: its recency may have changed.
    await this.requestRescore(actor.principal.organizationId, id);
    return restored;
  }

  /**
   * Keyset pagination on (sort key, id): every lead exactly once, at any depth, under concurrent inserts.
   * Straight SQL on the pool (see SqlWhere, queryIsoRows): this is the hottest read of the product,
   * and TypeORM's query builder cost more than the query itself. Rows come back as plain objects
   * in the entity's shape, timestamps as ISO strings.
   */
  async list(
    organizationId: string,
    filter: LeadFilter,
    sort: LeadSort,
    order: 'asc' | 'desc',
    limit: number,
    cursor?: string,
  ): Promise<Page<ListedLead>> {
    const key = SORT_SQL[sort];
    const dir = order === 'asc' ? 'ASC' : 'DESC';
    const where = new SqlWhere('l.deleted_at');
    where.andWhere('l.organization_id = :organizationId', { organizationId });
    applyLeadFilter(where, filter, await this.customFieldsFor(organizationId, filter));
    if (cursor) {
      const [value, id] = decodeListCursor(cursor, sort);
      const cast = sort === 'score' ? '::smallint' : sort === 'name' ? '::text' : '::timestamptz';
      where.andWhere(`(${key}, l.id) ${order === 'asc' ? '>' : '<'} (:cursorValue${cast}, :cursorId::uuid)`, {
        cursorValue: value,
        cursorId: id,
      });
    }
    // The cursor takes the sort key as PostgreSQL computed it, as its text: it casts back to
    // exactly the value stored, so the next page starts exactly after it.
    const sql =
      `SELECT ${LEAD_ROW_SELECT_SQL}, (${key})::text AS sort_key FROM leads l WHERE ${where.toSql()} ` +
      `ORDER BY ${key} ${dir}, l.id ${dir} LIMIT ${pageLimit(limit) + 1}`;
    // Plain pages (no filter) are a handful of statement texts: prepared once per connection,
    // except on the embedded database, whose connections share one session.
    const plain = !filter.deleted && Object.values(filter).every((v) => v === undefined);
    const rows = await queryIsoRows<ListedLead & { sort_key: string }>(poolOf(this.leads.manager), sql, where.params, {
      prepare: plain && this.config.profile === 'production',
    });
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows[rows.length - 1];
    return { items: rows, nextCursor: more && last ? encodeCursor([last.sort_key, last.id]) : null };
  }

  async addNote(actor: Actor, leadId: string, body: string) {
    await this.get(actor.principal.organizationId, leadId);
    const note = await this.leads.manager.transaction((manager) =>
      this.activities.record(manager, actor, leadId, LeadActivityType.Note, { body }),
    );
    await this.requestRescore(actor.principal.organizationId, leadId);
    return note;
  }

  /**
   * The person withdrew consent (an unsubscribe link, a complaint), inside
   * the caller's transaction: email sets `unsubscribedAt`, WhatsApp clears
   * `consentWhatsapp`. Idempotent: a timeline entry only when something
   * changed. Deleted leads too (the request still stands). Null when there is
   * no such lead.
   */
  async withdrawConsent(
    manager: EntityManager,
    organizationId: string,
    leadId: string,
    channels: { email: boolean; whatsapp: boolean },
    actorLabel: string,
    data: Record<string, unknown> = {},
  ): Promise<{ email: string | null; phone: string | null; changed: ('email' | 'whatsapp')[] } | null> {
    const [before] = await manager.query<
      { email: string | null; phone: string | null; unsubscribed_at: Date | null; consent_whatsapp: boolean }[]
    >(
      `SELECT email, phone, unsubscribed_at, consent_whatsapp FROM leads
        WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
      [organizationId, leadId],
    );
    if (!before) return null;
    const changed: ('email' | 'whatsapp')[] = [];
    if (channels.email && !before.unsubscribed_at) changed.push('email');
    if (channels.whatsapp && before.consent_whatsapp) changed.push('whatsapp');
    if (changed.length > 0) {
      await manager.query(
        `UPDATE leads SET unsubscribed_at = CASE WHEN $3 THEN now() ELSE unsubscribed_at END,
                consent_whatsapp = CASE WHEN $4 THEN false ELSE consent_whatsapp END, updated_at = now()
          WHERE organization_id = $1 AND id = $2`,
        [organizationId, leadId, changed.includes('email'), changed.includes('whatsapp')],
      );
      await this.activities.recordSystem(manager, organizationId, actorLabel, leadId, LeadActivityType.Unsubscribed, {
        ...data,
        channels: changed,
      });
    }
    return { email: before.email, phone: before.phone, changed };
  }

  async timeline(organizationId: string, leadId: string, limit: number, cursor?: string) {
    await this.get(organizationId, leadId, true);
    return this.activities.list(organizationId, leadId, limit, cursor);
  }

  async count(organizationId: string, filter: LeadFilter): Promise<number> {
    const qb = this.leads.createQueryBuilder('l').where('l.organization_id = :organizationId', { organizationId });
    applyLeadFilter(qb, filter, await this.customFieldsFor(organizationId, filter));
    return qb.getCount();
  }

  /** The organization's custom fields, when the filter has conditions on them. */
  private async customFieldsFor(organizationId: string, filter: LeadFilter) {
    return filter.custom?.length ? this.fields.validatorFor(organizationId) : undefined;
  }

  /** After a committed change the score depends on; a queue outage must not fail the change itself. */
  private async requestRescore(organizationId: string, leadId: string): Promise<void> {
    try {
      await this.scoring.enqueueRescore(organizationId, leadId);
    } catch (err) {
      this.logger.warn(`Could not enqueue a rescore of lead ${leadId}: ${(err as Error).message}`);
    }
  }

  async assertOwner(organizationId: string, ownerId: string | null | undefined): Promise<void> {
    if (!ownerId) return;
    const owner = await this.users.findById(ownerId);
    if (!owner || owner.organizationId !== organizationId)
      throw fieldError('ownerId', 'is not a user of your organization');
  }

  /** Runs a write; a clash on the per-organization email index becomes a 409 naming the existing lead. */
  private async saveUnique<T>(actor: Actor, email: string | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      const driverError =
        err instanceof QueryFailedError ? (err.driverError as { code?: string; constraint?: string }) : undefined;
      if (driverError?.code !== '23505' || driverError.constraint !== 'uq_leads_org_email' || !email) throw err;
      const existing = await this.leads
        .createQueryBuilder('l')
        .where('l.organization_id = :org AND lower(l.email) = :email', { org: actor.principal.organizationId, email })
        .getOne();
      throw new ProblemException(
        HttpStatus.CONFLICT,
        'duplicate_email',
        `A lead with the email ${email} already exists.`,
        {
          existingLeadId: existing?.id ?? null,
          errors: [{ field: 'email', reason: 'is already used by another lead' }],
        },
      );
    }
  }
}
