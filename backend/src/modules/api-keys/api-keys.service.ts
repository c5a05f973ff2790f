import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import { Page, pageByCreation } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { Permission, Role, ROLE_PERMISSIONS } from '../auth/permissions';
import type { UserStatus } from '../users/user.entity';
import { AuditService } from '../audit/audit.service';
import { ApiKey } from './api-key.entity';

/** Keys look like `mk_<8 hex prefix>_<43 base64url secret>`. */
const KEY_PATTERN = /^mk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_RESOLUTION_MS = 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** A live key and what the guard needs of the user who created it. */
export interface AuthenticatedKey {
  key: ApiKey;
  creator: { status: UserStatus; role: Role };
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('mk_');
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly audit: AuditService,
  ) {}

  /** Creates a key; the secret is returned here once and never again. */
  async create(
    actor: Actor,
    input: { name: string; permissions: Permission[]; expiresAt?: Date },
  ): Promise<{ key: ApiKey; secret: string }> {
    // Keys are made by people: a key's life is tied to its creator's account.
    if (actor.principal.kind !== 'user')
      throw new ForbiddenException('API keys are created by signed-in users, not by other keys.');
    // A key never holds more than its creator may do.
    const granted = ROLE_PERMISSIONS[actor.principal.role];
    const permissions = [...new Set(input.permissions)].filter((p) => granted.includes(p));
    const prefix = randomBytes(4).toString('hex');
    const secret = `mk_${prefix}_${randomBytes(32).toString('base64url')}`;
    const key = await this.keys.manager.transaction(async (manager) => {
      const saved = await manager.getRepository(ApiKey).save({
        organizationId: actor.principal.organizationId,
        name: input.name,
        prefix: `mk_${prefix}`,
        keyHash: sha256(secret).toString('hex'),
        permissions,
        createdBy: actor.principal.id,
        expiresAt: input.expiresAt ?? null,
      });
      await this.audit.record(
        actor,
        {
          action: 'api_key.created',
          entityType: 'api_key',
          entityId: saved.id,
          changes: { name: saved.name, permissions },
        },
        manager,
      );
      return saved;
    });
    return { key, secret };
  }

  list(organizationId: string, limit: number, cursor?: string): Promise<Page<ApiKey>> {
    const qb = this.keys.createQueryBuilder('k').where('k.organization_id = :organizationId', { organizationId });
    return pageByCreation(qb, 'k', 'DESC', limit, cursor);
  }

  async revoke(actor: Actor, id: string): Promise<ApiKey> {
    return this.keys.manager.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKey);
      const key = await repo.findOne({ where: { id, organizationId: actor.principal.organizationId } });
      if (!key) throw new NotFoundException(`No API key ${id}`);
      if (!key.revokedAt) {
        key.revokedAt = new Date();
        await repo.save(key);
        await this.audit.record(
          actor,
          { action: 'api_key.revoked', entityType: 'api_key', entityId: key.id, changes: { name: key.name } },
          manager,
        );
      }
      return key;
    });
  }

  /**
   * The live key matching `presented` with its creator, in one round trip, or
   * null. Updates last-used at most once a minute.
   */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return null;
    const { entities, raw } = await this.keys
      .createQueryBuilder('k')
      .innerJoin('users', 'u', 'u.id = k.created_by')
      .addSelect('u.status', 'creator_status')
      .addSelect('u.role', 'creator_role')
      .where('k.prefix = :prefix AND k.revoked_at IS NULL', { prefix: `mk_${match[1]}` })
      .getRawAndEntities<{ creator_status: UserStatus; creator_role: Role }>();
    const key = entities[0];
    if (!key) return null;
    if (!timingSafeEqual(Buffer.from(key.keyHash, 'hex'), sha256(presented))) return null;
    if (key.expiresAt && key.expiresAt <= new Date()) return null;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update(key.id, { lastUsedAt: new Date() });
    }
    return { key, creator: { status: raw[0].creator_status, role: raw[0].creator_role } };
  }
}
