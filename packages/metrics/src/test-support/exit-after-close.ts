/**
 * Run by create-metrics.test.ts in a child process: uses every part that could hold the
 * event loop (default metrics, the HTTP preset, a served scrape), closes, and must then
 * exit on its own.
 */
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetrics, httpServerMetrics } from '../index.ts';

const metrics = createMetrics({ collectDefaultMetrics: true });
const observe = httpServerMetrics(metrics);
const scrape = metrics.handler();
const server = createServer((request, response) => {
  observe(request, response);
  scrape(request, response);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const bytes = await new Promise<number>((resolve, reject) => {
  get({ port, host: '127.0.0.1', path: '/metrics', agent: false }, (response) => {
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      length += chunk.length;
    });
    response.on('end', () => resolve(length));
  }).on('error', reject);
});
await metrics.track('work', async () => {});
await new Promise<void>((resolve, reject) =>
  server.close((error) => (error ? reject(error) : resolve())),
);
await metrics.close();
process.stdout.write(`scraped ${bytes} bytes\n`);
