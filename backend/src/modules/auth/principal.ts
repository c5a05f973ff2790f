import type { Permission, Role } from './permissions';

/** Who is calling: a signed-in user, or an API key acting for its organization. */
export interface Principal {
  kind: 'user' | 'api-key';
  /** User id, or the API key's id. */
  id: string;
  organizationId: string;
  /** The user's role; for a key, the role of the user who created it. */
  role: Role;
  permissions: readonly Permission[];
  /** Display label for the audit log (email, or key name and prefix). */
  label: string;
  /** Set while a user must still enrol or verify MFA: only /api/auth routes answer. */
  mfaPending?: boolean;
  /** The sign-in session (refresh family) of a user's access token. */
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
