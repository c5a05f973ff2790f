import { LeadSource } from './lead.entity';
import { NO_ENGAGEMENT, ScorableLead, scoreLead } from './lead-scoring';

const NOW = new Date('2026-05-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 3600 * 1000);

const bare: ScorableLead = {
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  company: null,
  title: null,
  source: LeadSource.Other,
  consentEmail: false,
  consentWhatsapp: false,
  unsubscribedAt: null,
  createdAt: daysAgo(365),
  updatedAt: daysAgo(365),
};

describe('scoreLead', () => {
  it('gives an old, empty lead from an unknown source only its source points', () => {
    expect(scoreLead(bare, NO_ENGAGEMENT, NOW)).toEqual({
      score: 3,
      breakdown: { completeness: 0, source: 3, recency: 0, engagement: 0, consent: 0 },
    });
  });

  it('counts each part of the profile once, and ignores blank values', () => {
    const lead = { ...bare, email: 'a@b.c', phone: '+442079460958', lastName: 'Lima', company: 'Acme', title: ' ' };
    expect(scoreLead(lead, NO_ENGAGEMENT, NOW).breakdown.completeness).toBe(10 + 6 + 6 + 4);
    expect(scoreLead({ ...lead, firstName: 'Ana', title: 'CEO' }, NO_ENGAGEMENT, NOW).breakdown.completeness).toBe(30);
  });

  it('weighs sources: referral > web > whatsapp > campaign > api > import > other', () => {
    const order = [
      LeadSource.Referral,
      LeadSource.Web,
      LeadSource.WhatsApp,
      LeadSource.Campaign,
      LeadSource.Api,
      LeadSource.Import,
      LeadSource.Other,
    ].map((source) => scoreLead({ ...bare, source }, NO_ENGAGEMENT, NOW).breakdown.source);
    expect(order).toEqual([20, 15, 12, 10, 8, 5, 3]);
  });

  it('rewards recent touches: created, changed, or engaged', () => {
    const recency = (lead: Partial<ScorableLead>, lastEngagementAt: Date | null = null) =>
      scoreLead({ ...bare, ...lead }, { engagements: 0, lastEngagementAt }, NOW).breakdown.recency;
    expect(recency({ createdAt: daysAgo(1), updatedAt: daysAgo(1) })).toBe(20);
    expect(recency({ updatedAt: daysAgo(7) })).toBe(20);
    expect(recency({ updatedAt: daysAgo(8) })).toBe(12);
    expect(recency({ updatedAt: daysAgo(30) })).toBe(12);
    expect(recency({ updatedAt: daysAgo(60) })).toBe(5);
    expect(recency({ updatedAt: daysAgo(91) })).toBe(0);
    expect(recency({}, daysAgo(2))).toBe(20);
    expect(recency({ updatedAt: new Date(NOW.getTime() + 60_000) })).toBe(20); // clock skew is "now"
  });

  it('adds 5 per engagement, up to 20', () => {
    const engagement = (n: number) =>
      scoreLead(bare, { engagements: n, lastEngagementAt: null }, NOW).breakdown.engagement;
    expect([0, 1, 3, 4, 9].map(engagement)).toEqual([0, 5, 15, 20, 20]);
  });

  it('rewards consent and takes points from an unsubscribed lead', () => {
    const consent = (lead: Partial<ScorableLead>) =>
      scoreLead({ ...bare, ...lead }, NO_ENGAGEMENT, NOW).breakdown.consent;
    expect(consent({ consentEmail: true })).toBe(6);
    expect(consent({ consentEmail: true, consentWhatsapp: true })).toBe(10);
    expect(consent({ consentEmail: true, unsubscribedAt: daysAgo(1) })).toBe(-10);
    expect(consent({ consentWhatsapp: true, unsubscribedAt: daysAgo(1) })).toBe(-6);
  });

  it('clamps to 0-100: the best lead scores 100, a penalised empty one 0', () => {
    const best: ScorableLead = {
      ...bare,
      firstName: 'Ana',
      lastName: 'Lima',
      email: 'ana@example.com',
      phone: '+442079460958',
      company: 'Acme',
      title: 'CEO',
      source: LeadSource.Referral,
      consentEmail: true,
      consentWhatsapp: true,
      createdAt: daysAgo(1),
      updatedAt: daysAgo(1),
    };
    expect(scoreLead(best, { engagements: 10, lastEngagementAt: daysAgo(1) }, NOW).score).toBe(100);
    expect(scoreLead({ ...bare, unsubscribedAt: daysAgo(400) }, NO_ENGAGEMENT, NOW).score).toBe(0);
  });

  it('is deterministic: same input, same output', () => {
    const lead = { ...bare, email: 'x@y.z', source: LeadSource.Web, updatedAt: daysAgo(3) };
    const facts = { engagements: 2, lastEngagementAt: daysAgo(10) };
    expect(scoreLead(lead, facts, NOW)).toEqual(scoreLead({ ...lead }, { ...facts }, new Date(NOW)));
    expect(scoreLead(lead, facts, NOW).score).toBe(10 + 15 + 20 + 10);
  });
});
