/**
 * Who may do what: the one place roles and permissions are defined. The
 * matrix is rendered in docs/users-and-roles.md and enforced by AuthGuard.
 */
export enum Role {
  Owner = 'owner',
  Admin = 'admin',
  Manager = 'manager',
  Agent = 'agent',
  Viewer = 'viewer',
}

export const ROLES: readonly Role[] = [Role.Owner, Role.Admin, Role.Manager, Role.Agent, Role.Viewer];

export enum Permission {
  SystemRead = 'system:read',
  OrganizationManage = 'organization:manage',
  UsersRead = 'users:read',
  UsersManage = 'users:manage',
  ApiKeysManage = 'api-keys:manage',
  AuditRead = 'audit:read',
  LeadsRead = 'leads:read',
  LeadsWrite = 'leads:write',
  LeadsDelete = 'leads:delete',
  LeadsImport = 'leads:import',
  LeadsExport = 'leads:export',
  CampaignsRead = 'campaigns:read',
  CampaignsWrite = 'campaigns:write',
  CampaignsSend = 'campaigns:send',
  ConversationsRead = 'conversations:read',
  ConversationsWrite = 'conversations:write',
  AnalyticsRead = 'analytics:read',
  AssistantUse = 'assistant:use',
  AssistantInsights = 'assistant:insights',
}

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

const P = Permission;
const WORK = [
  P.LeadsRead,
  P.LeadsWrite,
  P.CampaignsRead,
  P.ConversationsRead,
  P.ConversationsWrite,
  P.AnalyticsRead,
  P.AssistantUse,
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.Owner]: ALL_PERMISSIONS,
  [Role.Admin]: ALL_PERMISSIONS,
  [Role.Manager]: [
    ...WORK,
    P.LeadsDelete,
    P.LeadsImport,
    P.LeadsExport,
    P.CampaignsWrite,
    P.CampaignsSend,
    P.UsersRead,
    P.SystemRead,
  ],
  [Role.Agent]: WORK,
  [Role.Viewer]: [P.LeadsRead, P.CampaignsRead, P.ConversationsRead, P.AnalyticsRead, P.AssistantUse],
};

/** Roles a manager of users may hand out: never above their own (ROLES is ordered highest first). */
export function rolesAssignableBy(role: Role): Role[] {
  return ROLES.slice(ROLES.indexOf(role));
}

export function hasPermissions(granted: readonly Permission[], required: readonly Permission[]): boolean {
  return required.every((p) => granted.includes(p));
}

/** Permissions that only read: the "read-only" API key preset. */
export const READ_PERMISSIONS: readonly Permission[] = ALL_PERMISSIONS.filter((p) => /:read$/.test(p));
