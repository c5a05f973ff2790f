import { AppConfig } from '../../config/app-config';
import { WidgetStreamSlots } from './widget-stream-slots';

/** The embedded profile's slots (process memory); the Redis ones are in backend/test/widget-stream.e2e-spec.ts. */
describe('WidgetStreamSlots in memory', () => {
  const scopes = (visitor: string, ip = '192.0.2.1') => [
    { name: 'visitor', id: visitor, limit: 2 },
    { name: 'ip', id: ip, limit: 3 },
  ];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('refuses a full scope by name, takes every scope or none, and frees a slot on release', async () => {
    const slots = new WidgetStreamSlots(AppConfig.load({}));
    const one = await slots.acquire(scopes('a'));
    const two = await slots.acquire(scopes('a'));
    expect(await slots.acquire(scopes('a'))).toEqual({ full: 'visitor' });
    const three = await slots.acquire(scopes('b'));
    expect(await slots.acquire(scopes('c'))).toEqual({ full: 'ip' });
    // The refused visitor "c" took no place: another address still has room for it.
    expect('full' in (await slots.acquire(scopes('c', '192.0.2.2')))).toBe(false);
    if (!('release' in two)) throw new Error('expected a slot');
    await two.release();
    expect('full' in (await slots.acquire(scopes('a')))).toBe(false);
    expect([one, three].every((s) => 'release' in s)).toBe(true);
  });

  it('lets an unrefreshed slot expire and keeps a refreshed one', async () => {
    const slots = new WidgetStreamSlots(AppConfig.load({}), undefined, 400);
    const scope = [{ name: 'visitor', id: 'v', limit: 1 }];
    const held = await slots.acquire(scope);
    if (!('refresh' in held)) throw new Error('expected a slot');
    await sleep(250);
    await held.refresh();
    await sleep(250);
    // 500 ms after it was taken, refreshed at 250: still held.
    expect(await slots.acquire(scope)).toEqual({ full: 'visitor' });
    await sleep(400);
    expect('full' in (await slots.acquire(scope))).toBe(false);
  });
});
