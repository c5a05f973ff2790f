import { ForbiddenException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { LocalCache } from '../../cache/local-cache';
import { ProblemException } from '../../common/errors/problem';
import { Page, pageByCreation } from '../../common/pagination';
import type { Actor } from '../auth/actor';
import { authTags } from '../auth/auth-tags';
import { PasswordService } from '../auth/password.service';
import { Role, rolesAssignableBy } from '../auth/permissions';
import { AuditService } from '../audit/audit.service';
import { User, UserStatus } from './user.entity';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password?: string;
}

/** A password people can type from a dialog: 20 characters of base64url. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly cache: LocalCache,
  ) {}

  /** After a committed change to the user: requests stop using what was cached about them. */
  private async changed<T>(userId: string, result: T): Promise<T> {
    await this.cache.invalidate(authTags.user(userId));
    return result;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id } });
  }

  /**
   * The user and whether their sign-in session (refresh family) is still
   * open, in one round trip: every authenticated request asks this.
   */
  async findWithSession(id: string, sessionId: string): Promise<{ user: User | null; sessionActive: boolean }> {
    const qb = this.users
      .createQueryBuilder('u')
      .addSelect(
        'EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = :sessionId AND r.revoked_at IS NULL)',
        'session_active',
      )
      .where('u.id = :id', { id, sessionId });
    const { entities, raw } = await qb.getRawAndEntities<{ session_active: boolean }>();
    return { user: entities[0] ?? null, sessionActive: raw[0]?.session_active === true };
  }

  /** In the caller's organization only: another tenant's id is "not found", like a missing one. */
  async get(organizationId: string, id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id, organizationId } });
    if (!user) throw new NotFoundException(`No user ${id}`);
    return user;
  }

  count(): Promise<number> {
    return this.users.count();
  }

  list(organizationId: string, limit: number, cursor?: string): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u').where('u.organization_id = :organizationId', { organizationId });
    return pageByCreation(qb, 'u', 'ASC', limit, cursor);
  }

  /** Creates the first owner of a new organization (bootstrap). */
  async createOwner(
    organizationId: string,
    email: string,
    name: string,
    password: string,
    manager: EntityManager,
  ): Promise<User> {
    return manager.getRepository(User).save({
      organizationId,
      email: email.toLowerCase(),
      name,
      role: Role.Owner,
      passwordHash: await this.passwords.hash(password),
    });
  }

  /** Creates a user in the actor's organization; returns the generated password when none was given. */
  async create(actor: Actor, input: NewUser): Promise<{ user: User; temporaryPassword?: string }> {
    this.assertCanAssign(actor, input.role);
    if (await this.findByEmail(input.email)) {
      throw new ProblemException(
        HttpStatus.CONFLICT,
        'email_taken',
        `A user with the email ${input.email} already exists.`,
        {
          errors: [{ field: 'email', reason: 'is already used by another user' }],
        },
      );
    }
    const temporaryPassword = input.password ? undefined : generatePassword();
    const user = await this.users.manager.transaction(async (manager) => {
      const created = await manager.getRepository(User).save({
        organizationId: actor.principal.organizationId,
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash: await this.passwords.hash(input.password ?? (temporaryPassword as string)),
        mustChangePassword: !input.password,
      });
      await this.audit.record(
        actor,
        {
          action: 'user.created',
          entityType: 'user',
          entityId: created.id,
          changes: { email: created.email, role: created.role },
        },
        manager,
      );
      return created;
    });
    return { user, temporaryPassword };
  }

  async update(actor: Actor, id: string, changes: { name?: string; role?: Role }): Promise<User> {
    const updated = await this.users.manager.transaction(async (manager) => {
      const repo = manager.getRepository(User);
      const user = await this.lockedUser(manager, actor.principal.organizationId, id);
      const diff: Record<string, unknown> = {};
      if (changes.role !== undefined && changes.role !== user.role) {
        this.assertCanAssign(actor, changes.role);
        if (user.role === Role.Owner && actor.principal.role !== Role.Owner) {
          throw new ForbiddenException('Only an owner can change the role of an owner.');
        }
        if (user.role === Role.Owner) await this.assertAnotherOwner(manager, user);
        diff.role = { from: user.role, to: changes.role };
        user.role = changes.role;
      }
      if (changes.name !== undefined && changes.name !== user.name) {
        diff.name = { from: user.name, to: changes.name };
        user.name = changes.name;
      }
      await repo.save(user);
      if (Object.keys(diff).length > 0) {
        await this.audit.record(
          actor,
          { action: 'user.updated', entityType: 'user', entityId: user.id, changes: diff },
          manager,
        );
      }
      return user;
    });
    return this.changed(id, updated);
  }

  async setStatus(actor: Actor, id: string, status: UserStatus): Promise<User> {
    const updated = await this.users.manager.transaction(async (manager) => {
      const user = await this.lockedUser(manager, actor.principal.organizationId, id);
      if (user.status === status) return user;
      if (status === UserStatus.Deactivated) {
        if (user.id === actor.principal.id) throw new ForbiddenException('You cannot deactivate yourself.');
        if (user.role === Role.Owner && actor.principal.role !== Role.Owner) {
          throw new ForbiddenException('Only an owner can deactivate an owner.');
        }
        if (user.role === Role.Owner) await this.assertAnotherOwner(manager, user);
      }
      user.status = status;
      if (status === UserStatus.Deactivated) user.sessionsValidAfter = new Date();
      await manager.getRepository(User).save(user);
      await this.audit.record(
        actor,
        {
          action: status === UserStatus.Deactivated ? 'user.deactivated' : 'user.reactivated',
          entityType: 'user',
          entityId: user.id,
        },
        manager,
      );
      return user;
    });
    return this.changed(id, updated);
  }

  /** Sets a new generated password that the user must change at next sign-in. */
  async resetPassword(actor: Actor, id: string): Promise<{ user: User; temporaryPassword: string }> {
    const temporaryPassword = generatePassword();
    const passwordHash = await this.passwords.hash(temporaryPassword);
    const user = await this.users.manager.transaction(async (manager) => {
      const target = await this.lockedUser(manager, actor.principal.organizationId, id);
      if (target.role === Role.Owner && actor.principal.role !== Role.Owner) {
        throw new ForbiddenException("Only an owner can reset an owner's password.");
      }
      // The old password's sessions end with it.
      Object.assign(target, {
        passwordHash,
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        sessionsValidAfter: new Date(),
      });
      await manager.getRepository(User).save(target);
      await this.audit.record(
        actor,
        { action: 'user.password_reset', entityType: 'user', entityId: target.id },
        manager,
      );
      return target;
    });
    return this.changed(id, { user, temporaryPassword });
  }

  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.get(actor.principal.organizationId, actor.principal.id);
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'validation_failed',
        'currentPassword: is not your current password',
        {
          errors: [{ field: 'currentPassword', reason: 'is not your current password' }],
        },
      );
    }
    if (currentPassword === newPassword) {
      throw new ProblemException(
        HttpStatus.BAD_REQUEST,
        'validation_failed',
        'newPassword: must differ from the current one',
        {
          errors: [{ field: 'newPassword', reason: 'must differ from the current one' }],
        },
      );
    }
    await this.users.update(user.id, {
      passwordHash: await this.passwords.hash(newPassword),
      mustChangePassword: false,
    });
    await this.changed(user.id, undefined);
    await this.audit.record(actor, { action: 'user.password_changed', entityType: 'user', entityId: user.id });
  }

  /** Sign-in bookkeeping (no audit: these are not changes made by a person). */
  recordLoginFailure(user: User, maxFailures: number, lockMinutes: number): Promise<unknown> {
    const failures = user.failedLogins + 1;
    const lockedUntil = failures >= maxFailures ? new Date(Date.now() + lockMinutes * 60_000) : user.lockedUntil;
    return this.users.update(user.id, { failedLogins: failures >= maxFailures ? 0 : failures, lockedUntil });
  }

  recordLoginSuccess(user: User): Promise<unknown> {
    return this.users.update(user.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() });
  }

  /** Records a TOTP time step as used; false when it (or a later one) already was. */
  async acceptMfaStep(userId: string, step: number): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update(User)
      .set({ mfaLastStep: String(step) })
      .where('id = :userId AND (mfa_last_step IS NULL OR mfa_last_step < :step)', { userId, step })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async saveMfa(
    userId: string,
    changes: Partial<Pick<User, 'mfaSecret' | 'mfaEnabled' | 'mfaRecoveryCodes'>>,
  ): Promise<void> {
    await this.users.update(userId, changes);
    await this.changed(userId, undefined);
  }

  private assertCanAssign(actor: Actor, role: Role): void {
    if (!rolesAssignableBy(actor.principal.role).includes(role)) {
      throw new ForbiddenException(`A ${actor.principal.role} cannot give the ${role} role.`);
    }
  }

  private async lockedUser(manager: EntityManager, organizationId: string, id: string): Promise<User> {
    // One membership change at a time per organization: two owners demoting each other
    // would otherwise lock rows in opposite orders and deadlock.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('meridian:members:' || $1))`, [organizationId]);
    const user = await manager
      .getRepository(User)
      .findOne({ where: { id, organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw new NotFoundException(`No user ${id}`);
    return user;
  }

  /** The last active owner can be neither demoted nor deactivated. */
  private async assertAnotherOwner(manager: EntityManager, owner: User): Promise<void> {
    // Lock every active owner row: two owners demoting each other at once cannot both pass.
    const owners = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .select('u.id')
      .setLock('pessimistic_write')
      .where('u.organization_id = :org AND u.role = :role AND u.status = :status', {
        org: owner.organizationId,
        role: Role.Owner,
        status: UserStatus.Active,
      })
      .getMany();
    if (owners.filter((o) => o.id !== owner.id).length === 0) {
      throw new ProblemException(
        HttpStatus.CONFLICT,
        'last_owner',
        'This is the last owner of the organization: make someone else owner first.',
      );
    }
  }
}
