import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { OrganizationsService } from '../organizations/organizations.service';
import { generatePassword, UsersService } from '../users/users.service';

/**
 * First start: when there is no user at all, creates an organization and its
 * owner from ADMIN_EMAIL/ADMIN_PASSWORD, or with a generated password that is
 * printed once (to stderr, never into the JSON log).
 */
@Injectable()
export class BootstrapOwnerService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const email = this.config.auth.adminEmail ?? 'admin@meridian.local';
    const password = this.config.auth.adminPassword ?? generatePassword();
    const created = await this.dataSource.transaction(async (manager) => {
      // Several replicas may start at once: one creates, the others see a user.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('meridian:bootstrap-owner'))`);
      const [{ count }] = await manager.query<{ count: string }[]>('SELECT count(*)::text AS count FROM users');
      if (count !== '0') return false;
      const org = await this.organizations.create('My organization', manager);
      await this.users.createOwner(org.id, email, 'Owner', password, manager);
      return true;
    });
    if (!created) return;
    this.logger.log(`Created the first owner account ${email}`);
    if (!this.config.auth.adminPassword) {
      process.stderr.write(
        [
          '',
          '  ┌──────────────────────────────────────────────────────────────┐',
          '  │ Meridian: first owner account (shown once, change it soon)   │',
          `  │   email:    ${email.padEnd(49)}│`,
          `  │   password: ${password.padEnd(49)}│`,
          '  └──────────────────────────────────────────────────────────────┘',
          '',
          '',
        ].join('\n'),
      );
    }
  }
}
