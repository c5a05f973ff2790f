import * as fs from 'node:fs';
import * as path from 'node:path';
import { withPermissionMatrix } from './permission-matrix';
import {
  ALL_PERMISSIONS,
  hasPermissions,
  Permission,
  READ_PERMISSIONS,
  Role,
  ROLE_PERMISSIONS,
  rolesAssignableBy,
} from './permissions';

describe('roles and permissions', () => {
  it('gives owners and admins everything, and each lower role a subset of the one above', () => {
    expect([...ROLE_PERMISSIONS[Role.Owner]].sort()).toEqual([...ALL_PERMISSIONS].sort());
    const chain = [Role.Admin, Role.Manager, Role.Agent, Role.Viewer];
    for (let i = 1; i < chain.length; i++) {
      expect(hasPermissions(ROLE_PERMISSIONS[chain[i - 1]], ROLE_PERMISSIONS[chain[i]])).toBe(true);
    }
  });

  it('keeps administration away from agents and viewers', () => {
    for (const role of [Role.Agent, Role.Viewer]) {
      for (const p of [Permission.UsersManage, Permission.ApiKeysManage, Permission.AuditRead, Permission.SystemRead]) {
        expect(ROLE_PERMISSIONS[role]).not.toContain(p);
      }
    }
  });

  it('lets only owners hand out the owner role', () => {
    expect(rolesAssignableBy(Role.Owner)).toContain(Role.Owner);
    expect(rolesAssignableBy(Role.Admin)).not.toContain(Role.Owner);
    expect(rolesAssignableBy(Role.Admin)).toContain(Role.Admin);
  });

  it('has a read-only preset made of read permissions only', () => {
    expect(READ_PERMISSIONS.length).toBeGreaterThan(0);
    expect(READ_PERMISSIONS.every((p) => p.endsWith(':read'))).toBe(true);
  });

  it('is documented: docs/users-and-roles.md shows the current matrix (npm run docs:permissions)', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../../../docs/users-and-roles.md'), 'utf8');
    // Prettier re-aligns the table: compare cell contents, not spacing.
    const cells = (markdown: string) =>
      markdown
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .map((line) => line.replace(/\s+/g, '').replace(/:?-+:?/g, '-'));
    const documented = cells(doc);
    expect(documented.length).toBeGreaterThan(ALL_PERMISSIONS.length);
    expect(documented).toEqual(cells(withPermissionMatrix(doc)));
  });
});
