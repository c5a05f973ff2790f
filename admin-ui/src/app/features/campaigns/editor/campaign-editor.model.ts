import {
  CampaignChannel,
  CampaignDto,
  EmailContentDto,
  LeadFilter,
  UpdateCampaignDto,
  WhatsAppContentDto,
} from '@meridian/api-client';

import { zonedInstant } from '../campaigns.model';

export type EditorStep = 'basics' | 'audience' | 'content' | 'schedule' | 'review';
export const EDITOR_STEPS: readonly EditorStep[] = ['basics', 'audience', 'content', 'schedule', 'review'];

/** What the editor holds, in plain values (the form's raw value). */
export interface EditorDraft {
  name: string;
  channel: CampaignChannel;
  audience: { mode: 'segment' | 'filter'; segmentId: string | null; filter: LeadFilter };
  email: { fromName: string; subject: string; preheader: string; html: string; text: string; withText: boolean };
  whatsapp: { templateName: string; language: string; bodyParameters: string[]; previewText: string };
  schedule: { mode: 'now' | 'later'; day: string; time: string; timeZone: string };
}

/** Why a step cannot be left yet, in words; empty when it is complete. */
export function stepProblems(
  step: EditorStep,
  draft: EditorDraft,
  context: { now: Date; eligible: number | null },
): string[] {
  const problems: string[] = [];
  switch (step) {
    case 'basics':
      if (!draft.name.trim()) {
        problems.push('Give the campaign a name');
      }
      break;
    case 'audience':
      if (draft.audience.mode === 'segment' && !draft.audience.segmentId) {
        problems.push('Pick a segment');
      }
      if (context.eligible === 0) {
        problems.push('Nobody in this audience can receive the campaign');
      }
      break;
    case 'content':
      if (draft.channel === 'email') {
        if (!draft.email.subject.trim()) {
          problems.push('Write a subject');
        }
        if (!draft.email.html.trim()) {
          problems.push('Write the message');
        }
      } else {
        if (!draft.whatsapp.templateName.trim()) {
          problems.push('Name the approved template');
        }
        if (!draft.whatsapp.language.trim()) {
          problems.push('Choose the template language');
        }
        if (draft.whatsapp.bodyParameters.some((parameter) => !parameter.trim())) {
          problems.push('Fill in every body parameter, or remove the empty ones');
        }
      }
      break;
    case 'schedule':
      if (draft.schedule.mode === 'later') {
        const at = zonedInstant(draft.schedule.day, draft.schedule.time, draft.schedule.timeZone);
        if (!at) {
          problems.push('Choose a date and a time');
        } else if (at.getTime() <= context.now.getTime()) {
          problems.push('Choose a time in the future');
        }
      }
      break;
    case 'review':
      for (const earlier of EDITOR_STEPS.slice(0, 4)) {
        problems.push(...stepProblems(earlier, draft, context));
      }
      break;
  }
  return problems;
}

export function stepValid(
  step: EditorStep,
  draft: EditorDraft,
  context: { now: Date; eligible: number | null },
): boolean {
  return stepProblems(step, draft, context).length === 0;
}

function orNull(value: string): string | null {
  return value.trim() ? value : null;
}

export function emailContent(draft: EditorDraft): EmailContentDto {
  return {
    subject: draft.email.subject,
    preheader: orNull(draft.email.preheader),
    html: draft.email.html,
    text: draft.email.withText ? orNull(draft.email.text) : null,
    fromName: orNull(draft.email.fromName),
  };
}

export function whatsappContent(draft: EditorDraft): WhatsAppContentDto {
  return {
    templateName: draft.whatsapp.templateName.trim(),
    language: draft.whatsapp.language.trim(),
    bodyParameters: [...draft.whatsapp.bodyParameters],
    previewText: orNull(draft.whatsapp.previewText),
  };
}

/** The audience as the API takes it: a segment, or a lead filter. */
export function audienceBody(draft: EditorDraft): { segmentId?: string; filter?: LeadFilter } {
  return draft.audience.mode === 'segment' && draft.audience.segmentId
    ? { segmentId: draft.audience.segmentId }
    : draft.audience.mode === 'filter'
      ? { filter: draft.audience.filter }
      : {};
}

/** Content the API takes: it refuses an empty subject, body, template name or language, even in a draft. */
export function hasContent(draft: EditorDraft): boolean {
  return draft.channel === 'email'
    ? draft.email.subject.trim() !== '' && draft.email.html.trim() !== ''
    : draft.whatsapp.templateName.trim() !== '' && draft.whatsapp.language.trim() !== '';
}

/**
 * The PATCH of a draft: everything the editor holds, the content of the campaign's channel only,
 * and only once it has its required parts (before that the draft keeps the content it had).
 */
export function updateBody(draft: EditorDraft): UpdateCampaignDto {
  const body: UpdateCampaignDto = {
    name: draft.name.trim(),
    audience: audienceBody(draft),
    timeZone: draft.schedule.timeZone,
  };
  if (hasContent(draft)) {
    if (draft.channel === 'email') {
      body.email = emailContent(draft);
    } else {
      body.whatsapp = whatsappContent(draft);
    }
  }
  return body;
}

const STEP_OF_FIELD: readonly [RegExp, string][] = [
  [/^name$|^channel$/, 'Basics'],
  [/^audience/, 'Audience'],
  [/^email|^whatsapp/, 'Content'],
  [/^sendAt|^timeZone/, 'Schedule'],
];

/** "Content: email.subject must …": where a server field error is, for the message above the stepper. */
export function fieldErrorLine(error: { field: string; reason: string }): string {
  const step = STEP_OF_FIELD.find(([pattern]) => pattern.test(error.field))?.[1];
  return `${step ? `${step} · ` : ''}${error.field} ${error.reason}`;
}

/** The draft of a saved campaign. */
export function draftOf(campaign: CampaignDto, defaults: EditorDraft): EditorDraft {
  return {
    name: campaign.name,
    channel: campaign.channel,
    audience: {
      mode: campaign.audience.segmentId || !campaign.audience.filter ? 'segment' : 'filter',
      segmentId: campaign.audience.segmentId,
      filter: campaign.audience.filter ?? {},
    },
    email: {
      fromName: campaign.email?.fromName ?? '',
      subject: campaign.email?.subject ?? '',
      preheader: campaign.email?.preheader ?? '',
      html: campaign.email?.html ?? defaults.email.html,
      text: campaign.email?.text ?? '',
      withText: !!campaign.email?.text,
    },
    whatsapp: {
      templateName: campaign.whatsapp?.templateName ?? '',
      language: campaign.whatsapp?.language ?? defaults.whatsapp.language,
      bodyParameters: [...(campaign.whatsapp?.bodyParameters ?? [])],
      previewText: campaign.whatsapp?.previewText ?? '',
    },
    schedule: { ...defaults.schedule, timeZone: campaign.timeZone || defaults.schedule.timeZone },
  };
}

/** Server field names ("email.subject", "whatsapp.bodyParameters[1]") as form paths. */
export function formPath(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1');
}

export interface TemplateVariable {
  /** What goes between the braces. */
  key: string;
  label: string;
}

export const STANDARD_VARIABLES: readonly TemplateVariable[] = [
  { key: 'firstName', label: 'First name' },
  { key: 'lastName', label: 'Last name' },
  { key: 'fullName', label: 'Full name' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  { key: 'company', label: 'Company' },
  { key: 'title', label: 'Job title' },
  { key: 'organization.name', label: 'Your organization' },
  { key: 'campaign.name', label: 'Campaign name' },
];

/** `{{ firstName }}`, or with a fallback `{{ firstName | default: "there" }}` (Liquid). */
export function variableTag(key: string, fallback = ''): string {
  const value = fallback.trim();
  return value ? `{{ ${key} | default: ${JSON.stringify(value)} }}` : `{{ ${key} }}`;
}

/** Inserts text at a selection and says where the caret goes next. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const from = Math.max(0, Math.min(start, value.length));
  const to = Math.max(from, Math.min(end, value.length));
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

export const STARTER_HTML = `<p>Hello {{ firstName | default: "there" }},</p>
<p>Write your message here.</p>
<p><a href="https://example.com">Read more</a></p>
<p style="font-size:12px;color:#666">You receive this because you subscribed. <a href="{{ unsubscribeUrl }}">Unsubscribe</a></p>`;

export const WHATSAPP_LANGUAGES: readonly { code: string; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'en_US', label: 'English (US)' },
  { code: 'en_GB', label: 'English (UK)' },
  { code: 'de', label: 'German' },
  { code: 'es', label: 'Spanish' },
  { code: 'fr', label: 'French' },
  { code: 'it', label: 'Italian' },
  { code: 'nl', label: 'Dutch' },
  { code: 'pt_BR', label: 'Portuguese (BR)' },
  { code: 'pt_PT', label: 'Portuguese (PT)' },
];
