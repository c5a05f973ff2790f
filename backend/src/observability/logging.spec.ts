import Fastify from 'fastify';
import { storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { Writable } from 'node:stream';
import { requestIdFor, useRequestLogging } from './logging';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

async function appWith(level: 'info' | 'debug') {
  const { lines, logger } = capture(level);
  const app = Fastify({ genReqId: requestIdFor });
  useRequestLogging(app, logger, level);
  app.get('/api/things', () => {
    storage.getStore()?.logger.info('inside the handler');
    return { ok: true };
  });
  app.get('/health', () => ({ status: 'ok' }));
  await app.ready();
  return { app, lines };
}

describe('request logging', () => {
  it('writes one line per request with its id, method, url, status and time; logs during it carry the id', async () => {
    const { app, lines } = await appWith('info');
    const res = await app.inject({ url: '/api/things?x=1', headers: { 'x-request-id': 'req-1' } });
    expect(res.statusCode).toBe(200);
    const inside = lines.find((l) => l.msg === 'inside the handler');
    expect(inside?.requestId).toBe('req-1');
    const done = lines.filter((l) => l.msg === 'request completed');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({
      level: 30,
      requestId: 'req-1',
      req: { method: 'GET', url: '/api/things?x=1' },
      res: { statusCode: 200 },
    });
    expect(typeof done[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('authorization');
    await app.close();
  });

  it('logs client errors at warn, and probes only when debugging', async () => {
    const quiet = await appWith('info');
    await quiet.app.inject({ url: '/health' });
    await quiet.app.inject({ url: '/nowhere' });
    expect(quiet.lines.map((l) => [l.level, (l.req as { url: string }).url])).toEqual([[40, '/nowhere']]);
    await quiet.app.close();

    const verbose = await appWith('debug');
    await verbose.app.inject({ url: '/health' });
    expect(verbose.lines.map((l) => [l.level, (l.req as { url: string }).url])).toEqual([[20, '/health']]);
    await verbose.app.close();
  });
});
