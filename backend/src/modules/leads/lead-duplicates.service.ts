import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ProblemException } from '../../common/errors/problem';
import { decodeCursor, encodeCursor, Page } from '../../common/pagination';
import { Lead } from './lead.entity';
import { canonicalEmailSql, companyKeySql, nameKeySql, personNameSql } from './lead-duplicates.sql';

export const DUPLICATE_REASONS = ['email', 'phone', 'name_company'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/**
 * How likely two leads are one person, by reason. One mailbox is nearly
 * certain; a phone may be a shared switchboard; a name at a company may be a
 * namesake. Several reasons together add up (see combine()).
 */
export const REASON_CONFIDENCE: Record<DuplicateReason, number> = { email: 0.9, phone: 0.8, name_company: 0.7 };
/** Names or companies this similar (pg_trgm, 0–1) count as the same. */
export const SIMILARITY_MIN = 0.55;
const MEMBERS_PER_GROUP = 10;
/** Per reason, candidates looked at for one lead. */
const CANDIDATES_PER_REASON = 50;
/** Leads of one name, or of one company, compared by similarity: bounds the work for "Self-employed" and the like. */
const BLOCK_LIMIT = 5000;

export interface DuplicateGroup {
  reason: DuplicateReason;
  confidence: number;
  key: string;
  size: number;
  leads: Lead[];
}

export interface DuplicateMatch {
  reason: DuplicateReason;
  confidence: number;
}

export interface LeadDuplicate {
  lead: Lead;
  confidence: number;
  matches: DuplicateMatch[];
}

/** The key columns of a reason: what equal leads share, and which leads can have it (same partial index). */
interface ReasonKey {
  keys: string[];
  where: string;
}

const L = 'l';
const REASON_KEYS: Record<DuplicateReason, ReasonKey> = {
  email: { keys: [canonicalEmailSql(L)], where: 'l.email IS NOT NULL' },
  phone: { keys: ['l.phone'], where: 'l.phone IS NOT NULL' },
  name_company: {
    keys: [nameKeySql(L), companyKeySql(L)],
    where: `l.company IS NOT NULL AND ${nameKeySql(L)} IS NOT NULL AND ${companyKeySql(L)} IS NOT NULL`,
  },
};

/** 1 − Π(1 − cᵢ): two independent hints are stronger than either. */
export function combine(confidences: number[]): number {
  return round(1 - confidences.reduce((p, c) => p * (1 - c), 1));
}

const round = (n: number) => Math.round(n * 100) / 100;

function badCursor(): ProblemException {
  return new ProblemException(
    HttpStatus.BAD_REQUEST,
    'validation_failed',
    'cursor: is not a cursor this list produced',
    {
      errors: [{ field: 'cursor', reason: 'is not a cursor this list produced' }],
    },
  );
}

/**
 * Finds leads that are likely one person, among the live leads of an
 * organization. Every query walks an index of the migration LeadMerge in key
 * order (GROUP BY over an index-only scan, or an index lookup): no pairwise
 * comparison of the whole table.
 */
@Injectable()
export class LeadDuplicatesService {
  constructor(@InjectRepository(Lead) private readonly leads: Repository<Lead>) {}

  /**
   * Groups of leads sharing a key, by reason (email, then phone, then
   * name_company), each in key order: the cursor is (reason, key).
   */
  async groups(
    organizationId: string,
    reason: DuplicateReason | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<DuplicateGroup>> {
    const reasons = reason ? [reason] : [...DUPLICATE_REASONS];
    let start = 0;
    let after: string[] | undefined;
    if (cursor) {
      const [cursorReason, ...keys] = decodeCursor(cursor, 3);
      start = reasons.indexOf(cursorReason as DuplicateReason);
      if (start < 0) throw badCursor();
      after = keys.slice(0, REASON_KEYS[cursorReason as DuplicateReason].keys.length);
    }
    const found: { reason: DuplicateReason; keys: string[]; size: number }[] = [];
    for (let i = start; i < reasons.length && found.length <= limit; i++) {
      const rows = await this.groupKeys(
        organizationId,
        reasons[i],
        i === start ? after : undefined,
        limit + 1 - found.length,
      );
      found.push(...rows.map((r) => ({ reason: reasons[i], ...r })));
    }
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      found.length > limit && last ? encodeCursor([last.reason, last.keys[0], last.keys[1] ?? '']) : null;

    const members = new Map<DuplicateReason, Map<string, string[]>>();
    for (const r of new Set(page.map((g) => g.reason))) {
      const keys = page.filter((g) => g.reason === r).map((g) => g.keys);
      members.set(r, await this.groupMembers(organizationId, r, keys));
    }
    const ids = [...members.values()].flatMap((m) => [...m.values()].flat());
    const byId = await this.byId(organizationId, ids);
    const items: DuplicateGroup[] = [];
    for (const g of page) {
      const leads = (members.get(g.reason)?.get(JSON.stringify(g.keys)) ?? [])
        .map((id) => byId.get(id))
        .filter((l): l is Lead => !!l);
      // Leads changed since the keys were read: what is left is no group.
      if (leads.length < 2) continue;
      items.push({
        reason: g.reason,
        confidence: REASON_CONFIDENCE[g.reason],
        key: g.keys.join('|'),
        size: g.size,
        leads,
      });
    }
    return { items, nextCursor };
  }

  /** Keys shared by two or more live leads, in index order after `after`. */
  private async groupKeys(
    organizationId: string,
    reason: DuplicateReason,
    after: string[] | undefined,
    limit: number,
  ): Promise<{ keys: string[]; size: number }[]> {
    const { keys, where } = REASON_KEYS[reason];
    const params: unknown[] = [organizationId, limit];
    let afterSql = '';
    if (after) {
      params.push(...after);
      // A row comparison on the leading index columns: PostgreSQL starts the index scan right there.
      afterSql =
        keys.length === 1
          ? `AND ${keys[0]} > $3`
          : `AND (${keys.join(', ')}) > (${keys.map((_, i) => `$${i + 3}`).join(', ')})`;
    }
    const cols = keys.map((k, i) => `${k} AS k${i}`).join(', ');
    const groupBy = keys.map((_, i) => `s.k${i}`).join(', ');
    const rows: Record<string, string | number>[] = await this.leads.query(
      `SELECT ${groupBy}, count(*)::int AS size
         FROM (SELECT ${cols} FROM leads l
                WHERE l.organization_id = $1 AND l.deleted_at IS NULL AND ${where} ${afterSql}) s
        GROUP BY ${groupBy} HAVING count(*) > 1
        ORDER BY ${groupBy} LIMIT $2`,
      params,
    );
    return rows.map((r) => ({ keys: keys.map((_, i) => String(r[`k${i}`])), size: Number(r.size) }));
  }

  /** The first members (by id) of each group: one index lookup per key. */
  private async groupMembers(
    organizationId: string,
    reason: DuplicateReason,
    groups: string[][],
  ): Promise<Map<string, string[]>> {
    const { keys, where } = REASON_KEYS[reason];
    const unnest = keys.map((_, i) => `$${i + 3}::text[]`).join(', ');
    const names = keys.map((_, i) => `k${i}`).join(', ');
    const match = keys.map((k, i) => `${k} = g.k${i}`).join(' AND ');
    const rows: Record<string, string>[] = await this.leads.query(
      `SELECT ${keys.map((_, i) => `g.k${i}`).join(', ')}, m.id
         FROM unnest(${unnest}) AS g(${names})
         CROSS JOIN LATERAL (
           SELECT l.id FROM leads l
            WHERE l.organization_id = $1 AND l.deleted_at IS NULL AND ${where} AND ${match}
            ORDER BY l.id LIMIT $2) m
        ORDER BY ${keys.map((_, i) => `g.k${i}`).join(', ')}, m.id`,
      [organizationId, MEMBERS_PER_GROUP, ...keys.map((_, i) => groups.map((g) => g[i]))],
    );
    const members = new Map<string, string[]>();
    for (const r of rows) {
      const key = JSON.stringify(keys.map((_, i) => r[`k${i}`]));
      members.set(key, [...(members.get(key) ?? []), r.id]);
    }
    return members;
  }

  /**
   * Likely duplicates of one live lead, most likely first: same mailbox, same
   * phone, and same name at a similar company or a similar name at the same
   * company (pg_trgm similarity, at least SIMILARITY_MIN).
   */
  async forLead(organizationId: string, id: string, limit: number): Promise<LeadDuplicate[]> {
    const [target] = await this.leads.query<
      {
        email_key: string | null;
        phone: string | null;
        name_key: string | null;
        company_key: string | null;
        person: string;
      }[]
    >(
      `SELECT ${canonicalEmailSql(L)} AS email_key, l.phone, ${nameKeySql(L)} AS name_key,
              ${companyKeySql(L)} AS company_key, ${personNameSql(L)} AS person
         FROM leads l WHERE l.organization_id = $1 AND l.id = $2 AND l.deleted_at IS NULL`,
      [organizationId, id],
    );
    if (!target) throw new NotFoundException(`No lead ${id}`);
    const matches = new Map<string, DuplicateMatch[]>();
    const add = (leadId: string, reason: DuplicateReason, confidence: number) =>
      matches.set(leadId, [...(matches.get(leadId) ?? []), { reason, confidence }]);
    const live = 'l.organization_id = $1 AND l.deleted_at IS NULL AND l.id <> $2';

    if (target.email_key) {
      const rows = await this.leads.query<{ id: string }[]>(
        `SELECT l.id FROM leads l WHERE ${live} AND l.email IS NOT NULL AND ${canonicalEmailSql(L)} = $3
          ORDER BY l.id LIMIT ${CANDIDATES_PER_REASON}`,
        [organizationId, id, target.email_key],
      );
      for (const r of rows) add(r.id, 'email', REASON_CONFIDENCE.email);
    }
    if (target.phone) {
      const rows = await this.leads.query<{ id: string }[]>(
        `SELECT l.id FROM leads l WHERE ${live} AND l.phone IS NOT NULL AND l.phone = $3
          ORDER BY l.id LIMIT ${CANDIDATES_PER_REASON}`,
        [organizationId, id, target.phone],
      );
      for (const r of rows) add(r.id, 'phone', REASON_CONFIDENCE.phone);
    }
    if (target.name_key && target.company_key) {
      // Blocking: candidates share the name key or the company key (each an index lookup), then
      // the other part is compared by similarity. A typo in both at once is not found.
      const block = (keySql: string, param: string) =>
        `(SELECT l.id, ${nameKeySql(L)} AS name_key, ${companyKeySql(L)} AS company_key, ${personNameSql(L)} AS person
            FROM leads l WHERE ${live} AND l.company IS NOT NULL AND ${keySql} = ${param} LIMIT ${BLOCK_LIMIT})`;
      const rows = await this.leads.query<{ id: string; name_score: number; company_score: number }[]>(
        `SELECT c.id, s.name_score, s.company_score
           FROM (${block(nameKeySql(L), '$3')} UNION ${block(companyKeySql(L), '$4')}) c
          CROSS JOIN LATERAL (
            SELECT CASE WHEN c.name_key = $3 THEN 1 ELSE similarity(c.person, $5) END AS name_score,
                   CASE WHEN c.company_key = $4 THEN 1 ELSE similarity(c.company_key, $4) END AS company_score) s
          WHERE s.name_score >= $6 AND s.company_score >= $6
          ORDER BY s.name_score + s.company_score DESC, c.id LIMIT ${CANDIDATES_PER_REASON}`,
        [organizationId, id, target.name_key, target.company_key, target.person, SIMILARITY_MIN],
      );
      for (const r of rows)
        add(
          r.id,
          'name_company',
          round((REASON_CONFIDENCE.name_company * (Number(r.name_score) + Number(r.company_score))) / 2),
        );
    }

    const ranked = [...matches.entries()]
      .map(([leadId, found]) => ({ leadId, matches: found, confidence: combine(found.map((m) => m.confidence)) }))
      .sort((a, b) => b.confidence - a.confidence || a.leadId.localeCompare(b.leadId))
      .slice(0, limit);
    const byId = await this.byId(
      organizationId,
      ranked.map((r) => r.leadId),
    );
    return ranked
      .filter((r) => byId.has(r.leadId))
      .map((r) => ({ lead: byId.get(r.leadId)!, confidence: r.confidence, matches: r.matches }));
  }

  private async byId(organizationId: string, ids: string[]): Promise<Map<string, Lead>> {
    if (ids.length === 0) return new Map();
    const leads = await this.leads.find({ where: { organizationId, id: In(ids) } });
    return new Map(leads.map((l) => [l.id, l]));
  }
}
