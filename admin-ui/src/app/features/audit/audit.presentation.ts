import { AuditEventDto } from '@meridian/api-client';

/** The actions the API records, in words. Unknown ones (newer API) are shown as their code. */
export const AUDIT_ACTIONS: Readonly<Record<string, string>> = {
  'user.created': 'User added',
  'user.updated': 'User changed',
  'user.deactivated': 'User deactivated',
  'user.reactivated': 'User reactivated',
  'user.password_changed': 'Password changed',
  'user.password_reset': 'Password reset',
  'user.mfa_enabled': 'MFA turned on',
  'user.mfa_disabled': 'MFA turned off',
  'user.mfa_recovery_code_used': 'Recovery code used',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'organization.updated': 'Organization changed',
};

export const AUDIT_ENTITY_TYPES: Readonly<Record<string, string>> = {
  user: 'User',
  api_key: 'API key',
  organization: 'Organization',
};

export const ACTOR_TYPES: Readonly<Record<AuditEventDto['actorType'], string>> = {
  user: 'User',
  'api-key': 'API key',
  system: 'System',
};

export function actionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? action;
}

export function entityLabel(entityType: string): string {
  return AUDIT_ENTITY_TYPES[entityType] ?? entityType;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? 'none' : value.map(show).join(', ');
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/**
 * One line per changed field: `{ role: { from: 'agent', to: 'admin' } }` -> "role: agent → admin",
 * `{ email: 'a@b.c', role: 'viewer' }` -> "email: a@b.c", "role: viewer".
 */
export function summarizeChanges(changes: Record<string, unknown> | null | undefined): string[] {
  if (!changes) {
    return [];
  }
  return Object.entries(changes).map(([field, value]) => {
    if (isRecord(value) && 'from' in value && 'to' in value) {
      return `${field}: ${show(value['from'])} → ${show(value['to'])}`;
    }
    return `${field}: ${show(value)}`;
  });
}
