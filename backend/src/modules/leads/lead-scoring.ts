import { LeadSource } from './lead.entity';

/**
 * The lead score: a documented, deterministic rule set (docs/leads.md, "How
 * the score is computed"). Five parts add up to at most 100; the result is
 * clamped to 0-100. Change a rule here and in the docs together.
 */

/** What the rules read of a lead. */
export interface ScorableLead {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  source: LeadSource;
  consentEmail: boolean;
  consentWhatsapp: boolean;
  unsubscribedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the rules read of the lead's timeline. */
export interface LeadScoreFacts {
  /** Engagement activities (notes, campaign opens and clicks) in the last ENGAGEMENT_WINDOW_DAYS. */
  engagements: number;
  /** When the latest engagement activity happened, if any. */
  lastEngagementAt: Date | null;
}

export const NO_ENGAGEMENT: LeadScoreFacts = { engagements: 0, lastEngagementAt: null };

export interface ScoreBreakdown {
  completeness: number;
  source: number;
  recency: number;
  engagement: number;
  consent: number;
}

export interface LeadScore {
  score: number;
  breakdown: ScoreBreakdown;
}

export const ENGAGEMENT_WINDOW_DAYS = 90;

/** Profile completeness: up to 30. */
export const COMPLETENESS_POINTS = { email: 10, phone: 6, name: 6, company: 4, title: 4 } as const;

/** Where the lead came from: up to 20. */
export const SOURCE_POINTS: Record<LeadSource, number> = {
  [LeadSource.Referral]: 20,
  [LeadSource.Web]: 15,
  [LeadSource.Widget]: 15,
  [LeadSource.WhatsApp]: 12,
  [LeadSource.Campaign]: 10,
  [LeadSource.Api]: 8,
  [LeadSource.Import]: 5,
  [LeadSource.Other]: 3,
};

/** Days since the last touch (created, changed or engaged) → points; up to 20. */
export const RECENCY_POINTS: readonly { withinDays: number; points: number }[] = [
  { withinDays: 7, points: 20 },
  { withinDays: 30, points: 12 },
  { withinDays: ENGAGEMENT_WINDOW_DAYS, points: 5 },
];

/** Per engagement activity in the window, up to a cap of 20. */
export const ENGAGEMENT_POINTS = { each: 5, max: 20 } as const;

/** Consent: up to 10; an unsubscribed lead loses 10 instead of gaining the email points. */
export const CONSENT_POINTS = { email: 6, whatsapp: 4, unsubscribed: -10 } as const;

const DAY_MS = 24 * 3600 * 1000;
const present = (value: string | null) => value !== null && value.trim() !== '';

export function scoreLead(lead: ScorableLead, facts: LeadScoreFacts, now: Date): LeadScore {
  const completeness =
    (present(lead.email) ? COMPLETENESS_POINTS.email : 0) +
    (present(lead.phone) ? COMPLETENESS_POINTS.phone : 0) +
    (present(lead.firstName) || present(lead.lastName) ? COMPLETENESS_POINTS.name : 0) +
    (present(lead.company) ? COMPLETENESS_POINTS.company : 0) +
    (present(lead.title) ? COMPLETENESS_POINTS.title : 0);

  const source = SOURCE_POINTS[lead.source] ?? 0;

  const lastTouch = Math.max(
    lead.createdAt.getTime(),
    lead.updatedAt.getTime(),
    facts.lastEngagementAt?.getTime() ?? 0,
  );
  const days = Math.max(0, (now.getTime() - lastTouch) / DAY_MS);
  const recency = RECENCY_POINTS.find((r) => days <= r.withinDays)?.points ?? 0;

  const engagement = Math.min(ENGAGEMENT_POINTS.max, Math.max(0, facts.engagements) * ENGAGEMENT_POINTS.each);

  const consent =
    (lead.unsubscribedAt ? CONSENT_POINTS.unsubscribed : lead.consentEmail ? CONSENT_POINTS.email : 0) +
    (lead.consentWhatsapp ? CONSENT_POINTS.whatsapp : 0);

  const breakdown = { completeness, source, recency, engagement, consent };
  const total = completeness + source + recency + engagement + consent;
  return { score: Math.min(100, Math.max(0, Math.round(total))), breakdown };
}
