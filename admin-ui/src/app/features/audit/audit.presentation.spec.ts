import { actionLabel, summarizeChanges } from './audit.presentation';
import { auditQuery } from './audit.store';

describe('audit presentation', () => {
  it('says what changed, field by field', () => {
    expect(summarizeChanges({ role: { from: 'agent', to: 'admin' } })).toEqual(['role: agent → admin']);
    expect(summarizeChanges({ email: 'a@b.c', role: 'viewer' })).toEqual(['email: a@b.c', 'role: viewer']);
    expect(summarizeChanges({ permissions: ['leads:read', 'leads:export'], remaining: 9 })).toEqual([
      'permissions: leads:read, leads:export',
      'remaining: 9',
    ]);
    expect(summarizeChanges({ mfaRequired: { from: false, to: true }, note: null })).toEqual([
      'mfaRequired: false → true',
      'note: —',
    ]);
    expect(summarizeChanges({})).toEqual([]);
  });

  it('names known actions in words and keeps unknown ones as they are', () => {
    expect(actionLabel('user.password_reset')).toBe('Password reset');
    expect(actionLabel('lead.imported')).toBe('lead.imported');
  });

  it('asks for whole local days, the end day included', () => {
    const query = auditQuery({
      action: 'user.created',
      entityType: null,
      from: new Date(2026, 0, 10, 15, 30),
      to: new Date(2026, 0, 12, 8, 0),
    });

    expect(query).toEqual({
      action: 'user.created',
      from: new Date(2026, 0, 10).toISOString(),
      to: new Date(2026, 0, 13).toISOString(),
    });
  });
});
