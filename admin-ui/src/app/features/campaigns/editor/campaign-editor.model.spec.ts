import {
  EditorDraft,
  STARTER_HTML,
  fieldErrorLine,
  formPath,
  insertAt,
  stepProblems,
  stepValid,
  updateBody,
  variableTag,
} from './campaign-editor.model';

const NOW = new Date('2026-12-06T12:00:00.000Z');

function draft(overrides: Partial<EditorDraft> = {}): EditorDraft {
  return {
    name: 'Spring launch',
    channel: 'email',
    audience: { mode: 'segment', segmentId: 's1', filter: {} },
    email: {
      fromName: '',
      subject: 'Hello {{ firstName }}',
      preheader: '',
      html: STARTER_HTML,
      text: '',
      withText: false,
    },
    whatsapp: { templateName: '', language: 'en', bodyParameters: [], previewText: '' },
    schedule: { mode: 'now', day: '', time: '09:00', timeZone: 'Europe/Berlin' },
    ...overrides,
  };
}

describe('editor step validity', () => {
  const context = { now: NOW, eligible: 12 };

  it('needs a name first', () => {
    expect(stepValid('basics', draft(), context)).toBe(true);
    expect(stepProblems('basics', draft({ name: '  ' }), context)).toEqual(['Give the campaign a name']);
  });

  it('needs a segment, and someone who can receive it', () => {
    const noSegment = draft({ audience: { mode: 'segment', segmentId: null, filter: {} } });
    expect(stepProblems('audience', noSegment, context)).toEqual(['Pick a segment']);
    expect(stepValid('audience', draft({ audience: { mode: 'filter', segmentId: null, filter: {} } }), context)).toBe(
      true,
    );
    expect(stepProblems('audience', draft(), { now: NOW, eligible: 0 })).toEqual([
      'Nobody in this audience can receive the campaign',
    ]);
    // Not counted yet: no verdict from the count.
    expect(stepValid('audience', draft(), { now: NOW, eligible: null })).toBe(true);
  });

  it('needs a subject and a body for email, a template and filled parameters for WhatsApp', () => {
    const email = draft({ email: { ...draft().email, subject: '', html: ' ' } });
    expect(stepProblems('content', email, context)).toEqual(['Write a subject', 'Write the message']);
    const whatsapp = draft({
      channel: 'whatsapp',
      whatsapp: { templateName: 'spring', language: 'en', bodyParameters: ['{{ firstName }}', ''], previewText: '' },
    });
    expect(stepProblems('content', whatsapp, context)).toEqual([
      'Fill in every body parameter, or remove the empty ones',
    ]);
    expect(
      stepValid('content', { ...whatsapp, whatsapp: { ...whatsapp.whatsapp, bodyParameters: ['x'] } }, context),
    ).toBe(true);
  });

  it('needs a time in the future when scheduled', () => {
    const later = (day: string, time: string) =>
      draft({ schedule: { mode: 'later', day, time, timeZone: 'Europe/Berlin' } });
    expect(stepValid('schedule', draft(), context)).toBe(true);
    expect(stepProblems('schedule', later('', '09:00'), context)).toEqual(['Choose a date and a time']);
    // 12:00 UTC is 13:00 in Berlin: 12:59 there is in the past, 13:01 in the future.
    expect(stepProblems('schedule', later('2026-12-06', '12:59'), context)).toEqual(['Choose a time in the future']);
    expect(stepValid('schedule', later('2026-12-06', '13:01'), context)).toBe(true);
  });

  it('reviews every step before launch', () => {
    expect(stepValid('review', draft(), context)).toBe(true);
    expect(
      stepProblems('review', draft({ name: '', audience: { mode: 'segment', segmentId: null, filter: {} } }), context),
    ).toEqual(['Give the campaign a name', 'Pick a segment']);
  });
});

describe('draft → API', () => {
  it('sends the segment or the filter, and only the channel content', () => {
    const body = updateBody(draft({ email: { ...draft().email, preheader: ' ', fromName: 'Acme' } }));
    expect(body).toEqual({
      name: 'Spring launch',
      audience: { segmentId: 's1' },
      timeZone: 'Europe/Berlin',
      email: { subject: 'Hello {{ firstName }}', preheader: null, html: STARTER_HTML, text: null, fromName: 'Acme' },
    });
    const byFilter = updateBody(
      draft({ channel: 'whatsapp', audience: { mode: 'filter', segmentId: 's1', filter: { tag: ['vip'] } } }),
    );
    expect(byFilter.audience).toEqual({ filter: { tag: ['vip'] } });
    expect(byFilter.email).toBeUndefined();
    // No template name yet: the API refuses empty content, the draft keeps what it had.
    expect(byFilter.whatsapp).toBeUndefined();
    const whatsapp = updateBody(
      draft({
        channel: 'whatsapp',
        whatsapp: { templateName: ' offer ', language: 'en', bodyParameters: ['{{ firstName }}'], previewText: '' },
      }),
    );
    expect(whatsapp.whatsapp).toEqual({
      templateName: 'offer',
      language: 'en',
      bodyParameters: ['{{ firstName }}'],
      previewText: null,
    });
    expect(updateBody(draft({ email: { ...draft().email, subject: ' ' } })).email).toBeUndefined();
  });

  it('says on which step a server field error is', () => {
    expect(fieldErrorLine({ field: 'email.subject', reason: 'must not be empty' })).toBe(
      'Content · email.subject must not be empty',
    );
    expect(fieldErrorLine({ field: 'audience.segmentId', reason: 'is not a segment' })).toBe(
      'Audience · audience.segmentId is not a segment',
    );
    expect(fieldErrorLine({ field: 'other', reason: 'x' })).toBe('other x');
  });

  it('keeps the hand-written text part only when asked for', () => {
    expect(updateBody(draft({ email: { ...draft().email, text: 'Hi', withText: false } })).email?.text).toBeNull();
    expect(updateBody(draft({ email: { ...draft().email, text: 'Hi', withText: true } })).email?.text).toBe('Hi');
  });

  it('maps server field names to form paths', () => {
    expect(formPath('email.subject')).toBe('email.subject');
    expect(formPath('whatsapp.bodyParameters[1]')).toBe('whatsapp.bodyParameters.1');
  });
});

describe('insert variable', () => {
  it('writes a Liquid tag, with a fallback when one is given', () => {
    expect(variableTag('firstName')).toBe('{{ firstName }}');
    expect(variableTag('custom.plan', ' there ')).toBe('{{ custom.plan | default: "there" }}');
    expect(variableTag('firstName', 'a "friend"')).toBe('{{ firstName | default: "a \\"friend\\"" }}');
  });

  it('replaces the selection and puts the caret after the tag', () => {
    expect(insertAt('Hi NAME!', 3, 7, '{{ firstName }}')).toEqual({ value: 'Hi {{ firstName }}!', caret: 18 });
    expect(insertAt('Hi', 99, 99, ' x')).toEqual({ value: 'Hi x', caret: 4 });
  });
});
