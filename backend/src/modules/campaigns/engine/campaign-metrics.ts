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

/**
 * Outcomes counted in memory and added to `meridian_campaign_messages_total`
 * once per group of messages: a labelled increment per message cost the send
 * loop more than the rest of a message's bookkeeping.
 */
export class OutcomeTally {
  private readonly counts = new Map<string, { channel: string; outcome: string; n: number }>();

  add(channel: string, outcome: string): void {
    const key = `${channel}:${outcome}`;
    const entry = this.counts.get(key);
    if (entry) entry.n++;
    else this.counts.set(key, { channel, outcome, n: 1 });
  }

  flush(): void {
    for (const { channel, outcome, n } of this.counts.values()) campaignMessages.inc({ channel, outcome }, n);
    this.counts.clear();
  }
}
