import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../../cache/redis';
import { AppConfig } from '../../../config/app-config';
import type { CampaignChannel } from '../campaign.types';
import { campaignSendRate } from './campaign-metrics';

/** After this long without a throttled answer the rate goes up by one step (additive increase). */
export const QUIET_INTERVAL_MS = 2_000;
/** Additive step, as a share of the base rate. */
const RAISE_SHARE = 0.125;

export interface BucketState {
  tokens: number;
  /** ms of the last refill. */
  at: number;
  rate: number;
  /** ms of the last change of rate (a decrease or a raise). */
  changedAt: number;
}

export interface Take {
  granted: number;
  /** When nothing was granted: how long until a token is there. */
  waitMs: number;
  rate: number;
}

/**
 * The bucket's arithmetic, shared by the memory store and (transcribed) the
 * Lua script: refill at `rate` up to one second of burst, AIMD on the rate.
 */
export function takeTokens(state: BucketState | null, want: number, base: number, now: number): [BucketState, Take] {
  const s: BucketState = state ? { ...state } : { tokens: base, at: now, rate: base, changedAt: now };
  if (s.rate > base) s.rate = base;
  if (s.rate < base && now - s.changedAt >= QUIET_INTERVAL_MS) {
    s.rate = Math.min(base, s.rate + Math.max(1, base * RAISE_SHARE));
    s.changedAt = now;
  }
  const capacity = Math.max(1, s.rate);
  s.tokens = Math.min(capacity, s.tokens + ((now - s.at) * s.rate) / 1000);
  s.at = now;
  const granted = Math.max(0, Math.min(want, Math.floor(s.tokens)));
  s.tokens -= granted;
  const waitMs = granted > 0 ? 0 : Math.ceil(((1 - s.tokens) * 1000) / s.rate);
  return [s, { granted, waitMs, rate: s.rate }];
}

/** Multiplicative decrease: half the rate (floor 1/s), no burst left. */
export function throttleBucket(state: BucketState | null, base: number, now: number): BucketState {
  const s: BucketState = state ? { ...state } : { tokens: 0, at: now, rate: base, changedAt: now };
  return { tokens: 0, at: now, rate: Math.max(1, Math.floor(s.rate / 2)), changedAt: now };
}

const TAKE_LUA = `
local key = KEYS[1]
local want = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local quiet = tonumber(ARGV[3])
local share = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('HMGET', key, 'tokens', 'at', 'rate', 'changedAt')
local tokens = tonumber(v[1]) or base
local at = tonumber(v[2]) or now
local rate = tonumber(v[3]) or base
local changedAt = tonumber(v[4]) or now
if rate > base then rate = base end
if rate < base and now - changedAt >= quiet then
  rate = math.min(base, rate + math.max(1, base * share))
  changedAt = now
end
local capacity = math.max(1, rate)
tokens = math.min(capacity, tokens + ((now - at) * rate) / 1000)
local granted = math.max(0, math.min(want, math.floor(tokens)))
tokens = tokens - granted
local wait = 0
if granted == 0 then wait = math.ceil(((1 - tokens) * 1000) / rate) end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now, 'rate', tostring(rate), 'changedAt', changedAt)
redis.call('PEXPIRE', key, 3600000)
return {granted, wait, tostring(rate)}
`;

const THROTTLE_LUA = `
local key = KEYS[1]
local base = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(redis.call('HGET', key, 'rate')) or base
rate = math.max(1, math.floor(rate / 2))
redis.call('HSET', key, 'tokens', '0', 'at', now, 'rate', tostring(rate), 'changedAt', now)
redis.call('PEXPIRE', key, 3600000)
return tostring(rate)
`;

/**
 * A token bucket per (organization, channel): in Redis (a Lua script, shared
 * by every worker) or in memory (embedded profile). The base rate comes from
 * CAMPAIGN_EMAIL_RATE_PER_SECOND / CAMPAIGN_WHATSAPP_RATE_PER_SECOND.
 */
@Injectable()
export class CampaignThrottle {
  private readonly memory = new Map<string, BucketState>();

  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  base(channel: CampaignChannel): number {
    return channel === 'email' ? this.config.campaigns.emailRatePerSecond : this.config.campaigns.whatsappRatePerSecond;
  }

  /** Up to `want` tokens now; none and a wait when the bucket is empty. */
  async take(organizationId: string, channel: CampaignChannel, want: number): Promise<Take> {
    const base = this.base(channel);
    const key = `meridian:campaign-throttle:${organizationId}:${channel}`;
    let take: Take;
    if (this.redis) {
      const [granted, waitMs, rate] = (await this.redis.eval(
        TAKE_LUA,
        1,
        key,
        want,
        base,
        QUIET_INTERVAL_MS,
        RAISE_SHARE,
      )) as [number, number, string];
      take = { granted: Number(granted), waitMs: Number(waitMs), rate: Number(rate) };
    } else {
      const [state, t] = takeTokens(this.memory.get(key) ?? null, want, base, Date.now());
      this.memory.set(key, state);
      take = t;
    }
    campaignSendRate.set({ organization: organizationId, channel }, take.rate);
    return take;
  }

  /** The provider said "slow down": halve the rate. */
  async throttled(organizationId: string, channel: CampaignChannel): Promise<number> {
    const base = this.base(channel);
    const key = `meridian:campaign-throttle:${organizationId}:${channel}`;
    let rate: number;
    if (this.redis) {
      rate = Number(await this.redis.eval(THROTTLE_LUA, 1, key, base));
    } else {
      const state = throttleBucket(this.memory.get(key) ?? null, base, Date.now());
      this.memory.set(key, state);
      rate = state.rate;
    }
    campaignSendRate.set({ organization: organizationId, channel }, rate);
    return rate;
  }
}
