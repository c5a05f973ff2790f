import { Permission } from '@meridian/api-client';

import { ALL_PERMISSIONS } from '../../core/auth/permissions';
import {
  actionsForStatus,
  allowedActions,
  campaignProgress,
  funnel,
  isLive,
  rate,
  wallClock,
  zonedInstant,
} from './campaigns.model';
import { campaign, stats } from './testing/campaign.fixtures';

describe('campaignProgress', () => {
  it('splits what is done into sent, failed and skipped, over the total', () => {
    const p = campaignProgress(
      stats({ total: 200, remaining: 50, sent: 120, failed: 10, bounced: 10, skipped: 6, cancelled: 4 }),
    );
    expect(p).toMatchObject({ total: 200, sent: 120, failed: 20, other: 10, remaining: 50, percent: 75 });
    expect(p.sentPercent).toBe(60);
    expect(p.failedPercent).toBe(10);
    expect(p.otherPercent).toBe(5);
  });

  it('shows 100 % only when nothing remains, never as a rounding', () => {
    expect(campaignProgress(stats({ total: 1000, remaining: 1, sent: 999 })).percent).toBe(99);
    expect(campaignProgress(stats({ total: 1000, remaining: 0, sent: 990, failed: 10 })).percent).toBe(100);
  });

  it('is 0 % for an empty or not yet materialized audience', () => {
    expect(campaignProgress(stats()).percent).toBe(0);
    expect(campaignProgress(stats({ total: 0, remaining: 0 })).sentPercent).toBe(0);
  });

  it('never goes past the total when counters overlap (a bounce after sent)', () => {
    const p = campaignProgress(stats({ total: 10, remaining: 0, sent: 10, bounced: 3 }));
    expect(p.sent + p.failed + p.other + p.remaining).toBe(10);
    expect(p.failed).toBe(3);
    expect(p.sent).toBe(7);
  });

  it('clamps a remaining count larger than the total', () => {
    expect(campaignProgress(stats({ total: 5, remaining: 9 })).remaining).toBe(5);
  });
});

describe('funnel and rates', () => {
  it('counts each step against the audience', () => {
    const steps = funnel(stats({ total: 200, sent: 200, delivered: 180, opened: 90, clicked: 20 }));
    expect(steps.map((step) => [step.key, step.value, step.percent])).toEqual([
      ['queued', 200, 100],
      ['sent', 200, 100],
      ['delivered', 180, 90],
      ['opened', 90, 45],
      ['clicked', 20, 10],
    ]);
  });

  it('formats rates and has none without a base', () => {
    expect(rate(1, 8)).toBe('13 %');
    expect(rate(1, 40)).toBe('2.5 %');
    expect(rate(1, 3)).toBe('33 %');
    expect(rate(0, 10)).toBe('0 %');
    expect(rate(3, 0)).toBe('—');
  });
});

describe('state → allowed actions', () => {
  const everything = new Set<Permission>(ALL_PERMISSIONS);

  it.each([
    ['draft', ['edit', 'duplicate', 'delete']],
    ['scheduled', ['unschedule', 'cancel', 'duplicate']],
    ['sending', ['pause', 'cancel', 'duplicate']],
    ['paused', ['resume', 'cancel', 'duplicate']],
    ['cancelled', ['duplicate']],
    ['failed', ['duplicate']],
  ] as const)('%s allows %j', (status, actions) => {
    expect(actionsForStatus(campaign({ status }))).toEqual(actions);
  });

  it('offers "retry failed" on a completed campaign only when something failed', () => {
    expect(actionsForStatus(campaign({ status: 'completed', stats: stats({ failed: 0 }) }))).toEqual(['duplicate']);
    expect(actionsForStatus(campaign({ status: 'completed', stats: stats({ failed: 2 }) }))).toEqual([
      'retryFailed',
      'duplicate',
    ]);
  });

  it('drops what the permissions do not allow', () => {
    const writer = new Set<Permission>(['campaigns:read', 'campaigns:write']);
    const sender = new Set<Permission>(['campaigns:read', 'campaigns:send']);
    const reader = new Set<Permission>(['campaigns:read']);
    const sending = campaign({ status: 'sending' });
    expect(allowedActions(sending, everything)).toEqual(['pause', 'cancel', 'duplicate']);
    expect(allowedActions(sending, writer)).toEqual(['duplicate']);
    expect(allowedActions(sending, sender)).toEqual(['pause', 'cancel']);
    expect(allowedActions(sending, reader)).toEqual([]);
    expect(allowedActions(campaign({ status: 'draft' }), sender)).toEqual([]);
  });

  it('polls only what still moves by itself', () => {
    expect(isLive('sending')).toBe(true);
    expect(isLive('scheduled')).toBe(true);
    expect(['draft', 'paused', 'completed', 'cancelled', 'failed'].some((s) => isLive(s as never))).toBe(false);
  });
});

describe('time zones', () => {
  it('turns a wall-clock time in a zone into the instant', () => {
    expect(zonedInstant('2026-12-24', '09:30', 'Europe/Berlin')?.toISOString()).toBe('2026-12-24T08:30:00.000Z');
    expect(zonedInstant('2026-07-01', '09:30', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T07:30:00.000Z');
    expect(zonedInstant('2026-12-24', '09:30', 'America/New_York')?.toISOString()).toBe('2026-12-24T14:30:00.000Z');
    expect(zonedInstant('2026-12-24', '09:30', 'UTC')?.toISOString()).toBe('2026-12-24T09:30:00.000Z');
  });

  it('answers null to an incomplete input or an unknown zone', () => {
    expect(zonedInstant('', '09:30', 'UTC')).toBeNull();
    expect(zonedInstant('2026-12-24', '', 'UTC')).toBeNull();
    expect(zonedInstant('2026-12-24', '09:30', 'Mars/Olympus')).toBeNull();
  });

  it('shows a saved instant back as the wall clock of its zone', () => {
    expect(wallClock('2026-12-24T08:30:00.000Z', 'Europe/Berlin')).toEqual({ day: '2026-12-24', time: '09:30' });
  });
});
