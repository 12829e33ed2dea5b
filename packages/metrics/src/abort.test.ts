import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from './index.ts';
import { deferred } from './test-support/deferred.ts';
import { samplesOf } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

const RENDERS = 'rampart_metrics_render_duration_seconds';

describe('abandoned scrapes', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  it('reject at once for a signal already aborted, rendering nothing', async () => {
    const metrics = createMetrics();
    const collect = vi.fn();
    metrics.gauge({ name: 'g', help: 'G.', collect });
    const reason = new Error('gone');
    await expect(metrics.render('prometheus', { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(collect).not.toHaveBeenCalled();
    await expect(metrics.render('prometheus', { signal: {} as AbortSignal })).rejects.toThrow(
      /`options.signal` must be an AbortSignal/,
    );
  });

  it('stop the rendering and abort the collect callbacks once every waiting caller has gone', async () => {
    const metrics = createMetrics();
    const release = deferred();
    const seen: AbortSignal[] = [];
    metrics.gauge({
      name: 'slow_pool',
      help: 'Pool read over the network.',
      async collect(_gauge, signal) {
        seen.push(signal);
        await release.promise;
        signal.throwIfAborted();
      },
    });
    const first = new AbortController();
    const second = new AbortController();
    const waiting = [
      metrics.render('prometheus', { signal: first.signal }),
      metrics.render('prometheus', { signal: second.signal }),
    ];
    await Promise.resolve();
    first.abort(new Error('first gone'));
    await expect(waiting[0]).rejects.toThrow('first gone');
    expect(seen[0]?.aborted).toBe(false);
    second.abort(new Error('second gone'));
    await expect(waiting[1]).rejects.toThrow('second gone');
    expect(seen[0]?.aborted).toBe(true);
    release.resolve();

    const families = await scrape(metrics);
    expect(samplesOf(families, RENDERS, `${RENDERS}_count`)).toEqual([]);
    // The abandoned callback is not counted as a failure: no collect-error line for it.
    expect(samplesOf(families, 'rampart_metrics_collect_errors_total')).toEqual([]);
  });

  it('keep rendering for the callers still waiting', async () => {
    const metrics = createMetrics();
    const release = deferred();
    metrics.gauge({
      name: 'slow_pool',
      help: 'Pool.',
      async collect(gauge) {
        await release.promise;
        gauge.set(3);
      },
    });
    const leaving = new AbortController();
    const abandoned = metrics.render('prometheus', { signal: leaving.signal });
    const patient = metrics.render();
    leaving.abort(new Error('gone'));
    await expect(abandoned).rejects.toThrow('gone');
    release.resolve();
    expect(await patient).toMatch(/^slow_pool 3$/m);
  });

  it('stop when the scraper closes its connection before the answer', async () => {
    const metrics = createMetrics();
    const started = deferred();
    const aborted = deferred();
    let calls = 0;
    metrics.gauge({
      name: 'slow_pool',
      help: 'Pool.',
      collect(_gauge, signal) {
        if (++calls > 1) return;
        started.resolve();
        return new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted.resolve();
            reject(signal.reason);
          });
        });
      },
    });
    const server = createServer(metrics.handler());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = httpRequest(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
      {
        agent: false,
      },
    );
    client.on('error', () => {});
    client.end();
    await started.promise;
    client.destroy();
    await aborted.promise;
    const families = await scrape(metrics);
    expect(samplesOf(families, RENDERS, `${RENDERS}_count`)).toEqual([]);
    expect(calls).toBe(2);
  });
});
