import { LeadActivityDto } from '@meridian/api-client';

import { describeActivity } from './lead-timeline.presentation';

function activity(type: string, data: Record<string, unknown> = {}): LeadActivityDto {
  return {
    id: 'x',
    type: type as LeadActivityDto['type'],
    actorId: null,
    actorLabel: 'Olivia',
    data,
    createdAt: '2026-01-10T10:00:00.000Z',
  };
}

const owners = (id: string | null): string => (id === 'u1' ? 'Ben Okafor' : 'Another user');

describe('describeActivity', () => {
  it('says what happened, with an icon per type', () => {
    expect(describeActivity(activity('created', { source: 'whatsapp' }), owners)).toEqual({
      icon: 'person_add',
      title: 'Lead created (source: WhatsApp)',
      body: null,
      kind: 'event',
    });
    expect(describeActivity(activity('status_changed', { from: 'new', to: 'qualified' }), owners).title).toBe(
      'Status changed from New to Qualified',
    );
    expect(describeActivity(activity('assigned', { from: null, to: 'u1' }), owners).title).toBe(
      'Assigned to Ben Okafor',
    );
    expect(describeActivity(activity('assigned', { from: 'u1', to: null }), owners).title).toBe('Owner removed');
    expect(describeActivity(activity('updated', { fields: ['email', 'consentEmail'] }), owners).title).toBe(
      'Changed email, email consent',
    );
    expect(describeActivity(activity('deleted'), owners).icon).toBe('delete');
    expect(describeActivity(activity('restored'), owners).title).toBe('Restored from the recycle bin');
    expect(
      describeActivity(activity('imported', { taskId: 't1', file: 'fair.csv', outcome: 'created' }), owners).title,
    ).toBe('Imported from fair.csv');
    expect(
      describeActivity(activity('imported', { taskId: 't1', file: 'fair.csv', outcome: 'updated' }), owners).title,
    ).toBe('Updated by an import from fair.csv');
  });

  it('shows a note as its text', () => {
    expect(describeActivity(activity('note', { body: 'Call back\non Monday' }), owners)).toEqual({
      icon: 'notes',
      title: 'Note',
      body: 'Call back\non Monday',
      kind: 'note',
    });
  });

  it('shows types it does not know yet by their code', () => {
    expect(describeActivity(activity('form_submitted'), owners)).toMatchObject({
      icon: 'history',
      title: 'form submitted',
    });
  });

  it('describes campaign events: opens, clicks with the link, unsubscribes by channel, bounces with the reason', () => {
    expect(describeActivity(activity('campaign_opened', { campaignId: 'c1' }), owners)).toMatchObject({
      icon: 'mail',
      title: 'Opened a campaign email',
    });
    expect(describeActivity(activity('campaign_clicked', { url: 'https://example.com/offer' }), owners)).toMatchObject({
      title: 'Clicked a link in a campaign email',
      body: 'https://example.com/offer',
    });
    expect(describeActivity(activity('unsubscribed', { channels: ['email', 'whatsapp'] }), owners).title).toBe(
      'Unsubscribed from email and WhatsApp',
    );
    expect(describeActivity(activity('unsubscribed', { channels: ['email'], reason: 'complaint' }), owners).title).toBe(
      'Unsubscribed from email (marked an email as spam)',
    );
    expect(
      describeActivity(activity('bounced', { address: 'ana@example.com', reason: '550 no such user' }), owners),
    ).toMatchObject({
      icon: 'error',
      title: 'A campaign message to ana@example.com bounced',
      body: '550 no such user',
    });
  });
});
