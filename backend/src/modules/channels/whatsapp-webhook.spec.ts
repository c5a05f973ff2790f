import { parseWhatsAppWebhook, signWebhookBody, verifyWebhookSignature } from './whatsapp-webhook';

describe('verifyWebhookSignature', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
  it('accepts the sha256 HMAC of the exact bytes, and nothing else', () => {
    const good = signWebhookBody(body, 's3cret-app');
    expect(verifyWebhookSignature(body, good, 's3cret-app')).toBe(true);
    expect(verifyWebhookSignature(body, good.toUpperCase().replace('SHA256', 'sha256'), 's3cret-app')).toBe(true);
    expect(verifyWebhookSignature(body, good, 'other-secret')).toBe(false);
    expect(verifyWebhookSignature(Buffer.from(`${body.toString()} `), good, 's3cret-app')).toBe(false);
    expect(verifyWebhookSignature(body, undefined, 's3cret-app')).toBe(false);
    expect(verifyWebhookSignature(body, 'sha256=abc', 's3cret-app')).toBe(false);
    expect(verifyWebhookSignature(body, good.replace('sha256=', 'sha1='), 's3cret-app')).toBe(false);
  });
});

describe('parseWhatsAppWebhook', () => {
  const wrap = (value: unknown) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value }] }],
  });

  it('reads statuses with their error and callback data', () => {
    const parsed = parseWhatsAppWebhook(
      wrap({
        statuses: [
          {
            id: 'wamid.A',
            status: 'failed',
            timestamp: '1780000000',
            recipient_id: '4915112345678',
            biz_opaque_callback_data: 'rcp-1',
            errors: [{ code: 131026, title: 'Message undeliverable' }],
          },
        ],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        messages: [],
        statuses: [
          {
            providerMessageId: 'wamid.A',
            status: 'failed',
            timestamp: new Date(1_780_000_000_000),
            recipientPhone: '4915112345678',
            callbackData: 'rcp-1',
            error: { code: 131026, title: 'Message undeliverable' },
          },
        ],
      },
    });
  });

  it('accepts changes without statuses (other webhook fields)', () => {
    expect(parseWhatsAppWebhook(wrap({ messaging_product: 'whatsapp' }))).toEqual({
      ok: true,
      value: { statuses: [], messages: [] },
    });
  });

  it('names each wrong field', () => {
    const parsed = parseWhatsAppWebhook({ object: 'x', entry: [{ changes: 'no' }, 3] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.field)).toEqual(['object', 'entry[0].changes', 'entry[1]']);
    expect(parseWhatsAppWebhook([])).toMatchObject({ ok: false, errors: [{ field: 'body' }] });
  });
});
