import { Permission, Role } from '@meridian/api-client';

interface RoleInfo {
  label: string;
  description: string;
}

/** Every role, highest first. A Record over the generated `Role` type: a new role fails the build here. */
export const ROLE_INFO: Readonly<Record<Role, RoleInfo>> = {
  owner: { label: 'Owner', description: 'Everything, including other owners' },
  admin: { label: 'Admin', description: 'Everything except managing owners' },
  manager: { label: 'Manager', description: 'Leads, campaigns and sending; sees users and system status' },
  agent: { label: 'Agent', description: 'Works leads, campaigns and the inbox' },
  viewer: { label: 'Viewer', description: 'Reads leads, campaigns and analytics' },
};

export const ROLES = Object.keys(ROLE_INFO) as Role[];

/** Roles a user may hand out: owners any, everyone else anything but owner (the API enforces the same). */
export function assignableRoles(role: Role | null | undefined): Role[] {
  if (!role) {
    return [];
  }
  return role === 'owner' ? [...ROLES] : ROLES.filter((candidate) => candidate !== 'owner');
}

export interface PermissionGroup {
  label: string;
  permissions: Permission[];
}

/** What each permission lets one do, in words. Exhaustive over the generated `Permission` type. */
export const PERMISSION_LABELS: Readonly<Record<Permission, string>> = {
  'system:read': 'Read system status',
  'organization:manage': 'Manage the organization',
  'users:read': 'See users',
  'users:manage': 'Manage users',
  'api-keys:manage': 'Manage API keys',
  'audit:read': 'Read the audit log',
  'leads:read': 'Read leads',
  'leads:write': 'Create and edit leads',
  'leads:delete': 'Delete leads',
  'leads:import': 'Import leads',
  'leads:export': 'Export leads',
  'campaigns:read': 'Read campaigns',
  'campaigns:write': 'Create and edit campaigns',
  'campaigns:send': 'Send campaigns',
  'conversations:read': 'Read the inbox',
  'conversations:write': 'Reply, assign and close conversations',
  'analytics:read': 'Read analytics',
  'assistant:use': 'Use the assistant',
  'assistant:insights': 'Assistant insights',
};

export const ALL_PERMISSIONS = Object.keys(PERMISSION_LABELS) as Permission[];

/** The API's "read-only" key preset: every `:read` permission the creator holds. */
export function readPermissions(granted: readonly Permission[]): Permission[] {
  return granted.filter((permission) => permission.endsWith(':read'));
}

/** Permissions grouped by area ("leads", "campaigns"...), in the API's order, for checkbox lists. */
export function groupPermissions(permissions: readonly Permission[]): PermissionGroup[] {
  const groups = new Map<string, Permission[]>();
  for (const permission of ALL_PERMISSIONS.filter((p) => permissions.includes(p))) {
    const area = permission.split(':')[0];
    groups.set(area, [...(groups.get(area) ?? []), permission]);
  }
  return Array.from(groups, ([area, list]) => ({ label: AREA_LABELS[area] ?? area, permissions: list }));
}

const AREA_LABELS: Readonly<Record<string, string>> = {
  system: 'System',
  organization: 'Organization',
  users: 'Users',
  'api-keys': 'API keys',
  audit: 'Audit',
  leads: 'Leads',
  campaigns: 'Campaigns',
  analytics: 'Analytics',
  assistant: 'Assistant',
};
