import { Counter, Gauge, register } from 'prom-client';

function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Every send attempt of the engine, by channel and outcome (sent, bounced, failed, retry, throttled, skipped). */
export const campaignMessages = once(
  'meridian_campaign_messages_total',
  () =>
    new Counter({
      name: 'meridian_campaign_messages_total',
      help: 'Campaign messages handled by the sending engine, by channel and outcome.',
      labelNames: ['channel', 'outcome'] as const,
    }),
);

/** The throttle's current rate per organization and channel (lowered on provider throttling, raised back when quiet). */
export const campaignSendRate = once(
  'meridian_campaign_send_rate',
  () =>
    new Gauge({
      name: 'meridian_campaign_send_rate',
      help: 'Current sending rate (messages per second) allowed per organization and channel.',
      labelNames: ['organization', 'channel'] as const,
    }),
);
