import { Logger } from '@nestjs/common';
import * as http from 'node:http';
import { register } from 'prom-client';

/**
 * The worker has no API routes; this tiny server exposes its job metrics and
 * a liveness answer for orchestrators.
 */
export function startMetricsServer(port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      register
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': register.contentType }).end(body))
        .catch(() => res.writeHead(500).end());
    } else if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          code: 'not_found',
          detail: 'Only /metrics and /health are served here.',
        }),
      );
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      new Logger('Worker').log(`Worker metrics on http://${host}:${port}/metrics`);
      resolve(server);
    });
  });
}
