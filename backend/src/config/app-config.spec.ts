import { AppConfig, ConfigValidationError } from './app-config';

describe('AppConfig.load', () => {
  it('gives the embedded profile with no environment at all', () => {
    const config = AppConfig.load({});
    expect(config.profile).toBe('embedded');
    expect(config.port).toBe(3000);
    expect(config.usesRedis).toBe(false);
    expect(config.migrateOnStart).toBe(true);
    expect(config.kapa).toMatchObject({ configured: false, widgetEnabled: true, apiUrl: 'https://api.kapa.ai' });
  });

  it('limits open website widget streams per visitor, address and key (2, 20, 2000), each settable', () => {
    expect(AppConfig.load({}).widget).toMatchObject({ streamsPerVisitor: 2, streamsPerIp: 20, streamsPerKey: 2000 });
    expect(
      AppConfig.load({ WIDGET_STREAMS_PER_VISITOR: '1', WIDGET_STREAMS_PER_IP: '5', WIDGET_STREAMS_PER_KEY: '50' })
        .widget,
    ).toMatchObject({ streamsPerVisitor: 1, streamsPerIp: 5, streamsPerKey: 50 });
    expect(() => AppConfig.load({ WIDGET_STREAMS_PER_VISITOR: '0' })).toThrow(/WIDGET_STREAMS_PER_VISITOR/);
    expect(() => AppConfig.load({ WIDGET_STREAMS_PER_IP: 'many' })).toThrow(/WIDGET_STREAMS_PER_IP/);
  });

  it('switches to production with DATABASE_URL, and does not migrate on start by default', () => {
    const config = AppConfig.load({ DATABASE_URL: 'postgres://u:p@db:5432/meridian', REDIS_URL: 'redis://cache:6379' });
    expect(config.profile).toBe('production');
    expect(config.usesRedis).toBe(true);
    expect(config.migrateOnStart).toBe(false);
  });

  it('lists every bad variable at once, without printing secret values', () => {
    let error: unknown;
    try {
      AppConfig.load({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://root:s3cret@db/x',
        KAPA_API_KEY: 'k-123456789',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems, message } = error as ConfigValidationError;
    expect(problems.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(problems.some((p) => p.startsWith('LOG_LEVEL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('DATABASE_URL'))).toBe(true);
    expect(problems).toContain('KAPA_PROJECT_ID is required when KAPA_API_KEY is set');
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('k-123456789');
  });

  it('parses booleans and lists', () => {
    const config = AppConfig.load({
      KAPA_WIDGET_ENABLED: 'no',
      CORS_ORIGINS: 'https://a.example, https://b.example ,',
      SERVE_CONSOLE: '0',
    });
    expect(config.kapa.widgetEnabled).toBe(false);
    expect(config.serveConsole).toBe(false);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('rejects a boolean it cannot read', () => {
    expect(() => AppConfig.load({ KAPA_WIDGET_ENABLED: 'maybe' })).toThrow(/KAPA_WIDGET_ENABLED/);
  });

  it('channels: outbox by default, SMTP and Cloud API when configured', () => {
    const none = AppConfig.load({});
    expect(none.email).toMatchObject({
      smtpUrl: undefined,
      poolSize: 5,
      from: 'Meridian <no-reply@meridian.local>',
      fromAddress: 'no-reply@meridian.local',
      fromName: 'Meridian',
    });
    expect(none.whatsapp).toMatchObject({
      apiUrl: 'https://graph.facebook.com',
      apiVersion: 'v21.0',
      configured: false,
    });

    const set = AppConfig.load({
      SMTP_URL: 'smtps://u:p@mail.example.com:465',
      SMTP_POOL_SIZE: '3',
      EMAIL_FROM: 'news@example.com',
      WHATSAPP_API_URL: 'http://127.0.0.1:9/',
      WHATSAPP_API_VERSION: 'v22.0',
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      WHATSAPP_ACCESS_TOKEN: 'EAAG0123456789abcdef',
    });
    expect(set.email).toMatchObject({ poolSize: 3, fromAddress: 'news@example.com', fromName: null });
    expect(set.whatsapp).toMatchObject({ apiUrl: 'http://127.0.0.1:9', apiVersion: 'v22.0', configured: true });
  });

  it('rejects bad channel settings, without printing their secrets', () => {
    let error: unknown;
    try {
      AppConfig.load({
        SMTP_URL: 'http://u:smtp-s3cret@mail.example.com',
        EMAIL_FROM: 'Meridian <not an address>',
        WHATSAPP_API_VERSION: '21',
        WHATSAPP_ACCESS_TOKEN: 'EAAG-token-0123456789',
      });
    } catch (err) {
      error = err;
    }
    const { problems, message } = error as ConfigValidationError;
    expect(problems).toEqual(
      expect.arrayContaining([
        'SMTP_URL must be an smtp:// or smtps:// URL',
        'EMAIL_FROM must be a mailbox: "Name <address@domain>" or "address@domain"',
        'WHATSAPP_API_VERSION must look like v21.0',
        'WHATSAPP_PHONE_NUMBER_ID is required when WHATSAPP_ACCESS_TOKEN is set',
      ]),
    );
    expect(message).not.toContain('smtp-s3cret');
    expect(message).not.toContain('EAAG-token-0123456789');
  });
});
