/**
 * Tags of what the request hot path caches about a caller (see LocalCache and
 * AuthStateService): a change to one of these rows must invalidate its tag.
 */
export const authTags = {
  user: (id: string) => `user:${id}`,
  session: (familyId: string) => `session:${familyId}`,
  organization: (id: string) => `organization:${id}`,
};
