import { constants } from 'node:os';
import { ConfigurationError } from '@rampart/errors';
import { systemClock } from './clock.ts';
import type { ShutdownPhase } from './events.ts';
import { parseShutdownOptions } from './internal/shutdown/options-schema.ts';
import { type PhaseReport, reportPhase } from './internal/shutdown/report-phase.ts';
import { ServerDrain } from './internal/shutdown/server-drain.ts';
import {
  type Shutdown,
  type ShutdownHandler,
  type ShutdownHandlerOptions,
  type ShutdownOptions,
  type ShutdownResult,
  type ShutdownState,
  shutdownOrder,
} from './shutdown-options.ts';

interface Registered {
  readonly name: string;
  readonly fn: ShutdownHandler;
  readonly order: number;
  readonly index: number;
}

/**
 * Creates a graceful shutdown coordinator: on the first signal (or `start()`), readiness
 * fails at once, the service keeps serving for `drainDelayMs` while load balancers
 * deregister it, the servers stop accepting and drain their in-flight requests, then the
 * handlers run in order, all under one deadline.
 *
 * @remarks
 * Timeline: `started` (readiness `fail`, responses carry `Connection: close`) → `draining`
 * (`drainDelayMs`) → `closing-servers` (stop accepting, close idle keep-alive connections,
 * wait for in-flight requests) → handlers by {@link ShutdownHandlerOptions.order} (a failing
 * handler is logged and the next one runs) → `completed`. Afterwards the signal listeners are
 * removed and nothing of the coordinator keeps the process alive: it exits on its own once
 * the handlers closed everything else. When `timeoutMs` passes or a second signal arrives,
 * the remaining connections are destroyed, what was still running is logged, and the process
 * exits with code 1 (deadline) or 128 + the signal's number (second signal).
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming each
 * invalid option.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createHealth, createShutdown, healthHandler, shutdownOrder } from '@rampart/health';
 *
 * const health = createHealth();
 * const ready = healthHandler(health, { group: 'readiness' });
 * const server = createServer((request, response) => {
 *   if (request.url === '/readyz') return ready(request, response);
 *   response.end('hello');
 * });
 * server.listen(0);
 *
 * const shutdown = createShutdown({ health, servers: [server], drainDelayMs: 5_000 });
 * shutdown.onShutdown('metrics', async () => {}, { order: shutdownOrder.metrics });
 * ```
 */
export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const parsed = parseShutdownOptions(options);
  const signals = parsed.signals ?? ['SIGTERM', 'SIGINT'];
  const drainDelayMs = parsed.drainDelayMs ?? 5_000;
  const timeoutMs = parsed.timeoutMs ?? 25_000;
  const target = parsed.process ?? process;
  const clock = parsed.clock ?? systemClock;
  const { logger, health } = parsed;
  const name = parsed.name ?? 'default';
  const drain = new ServerDrain();
  for (const server of parsed.servers ?? []) drain.add(server);
  const handlers: Registered[] = [];
  const failed: string[] = [];
  const controller = new AbortController();
  let state: ShutdownState = 'idle';
  let running: Promise<ShutdownResult> | undefined;
  let settle: ((result: ShutdownResult) => void) | undefined;
  let reason = '';
  let startedAt = 0;
  let deadline: NodeJS.Timeout | undefined;
  let queue: Registered[] = [];
  let current: string | undefined;

  const elapsed = (): number => Math.max(0, clock.now() - startedAt);
  const report = (
    phase: ShutdownPhase,
    extra: Omit<PhaseReport, 'name' | 'phase' | 'reason' | 'elapsedMs'> = {},
  ): void => reportPhase(logger, { name, phase, reason, elapsedMs: elapsed(), ...extra });

  const onSignal = (signal: NodeJS.Signals): void => {
    if (running === undefined) void start(signal);
    else force(signal);
  };
  let listening = true;
  for (const signal of signals) target.on(signal, onSignal);
  const detach = (): void => {
    if (!listening) return;
    listening = false;
    for (const signal of signals) target.off(signal, onSignal);
    drain.detach();
  };

  const pending = (): string[] => {
    if (state === 'draining') return ['the drain delay'];
    if (state === 'closing-servers') return [`${drain.inFlight()} in-flight requests`];
    const waiting = queue.map((handler) => `${handler.name} (not started)`);
    return current === undefined ? waiting : [current, ...waiting];
  };

  const finish = (result: ShutdownResult): void => {
    clearTimeout(deadline);
    detach();
    settle?.(result);
  };

  function force(why: 'deadline' | NodeJS.Signals): void {
    if (state === 'completed' || state === 'forced') return;
    const still = pending();
    state = 'forced';
    const code = why === 'deadline' ? 1 : 128 + (constants.signals[why] ?? 0);
    controller.abort(
      new DOMException(
        why === 'deadline' ? `The shutdown ran past ${timeoutMs} ms` : `${why} received again`,
        why === 'deadline' ? 'TimeoutError' : 'AbortError',
      ),
    );
    drain.destroyAll();
    const description =
      why === 'deadline' ? `deadline of ${timeoutMs} ms passed` : `${why} received again`;
    report('forced', { pending: still, facts: { why: description, code } });
    finish({
      reason,
      outcome: 'forced',
      durationMs: elapsed(),
      failed: [...failed],
      pending: still,
    });
    target.exit(code);
  }

  const aborted = new Promise<void>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const isForced = (): boolean => state === 'forced';

  const runHandler = async (handler: Registered): Promise<void> => {
    current = handler.name;
    report('handler-started', { handler: handler.name });
    try {
      const context = {
        signal: controller.signal,
        reason,
        remainingMs: Math.max(0, timeoutMs - elapsed()),
      };
      await Promise.race([Promise.resolve().then(() => handler.fn(context)), aborted]);
      if (!isForced()) report('handler-finished', { handler: handler.name });
    } catch (error) {
      if (isForced()) return;
      failed.push(handler.name);
      report('handler-failed', { handler: handler.name, error });
    } finally {
      current = undefined;
    }
  };

  const complete = (): void =>
    report('completed', { facts: { durationMs: elapsed(), failed: [...failed] } });

  const sequence = async (): Promise<void> => {
    health?.markShuttingDown();
    report('started');
    drain.preferClose();
    deadline = setTimeout(() => force('deadline'), timeoutMs);
    if (drainDelayMs > 0) {
      state = 'draining';
      report('draining', { facts: { drainDelayMs } });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise((resolve) => {
          timer = setTimeout(resolve, drainDelayMs);
        }),
        aborted,
      ]);
      clearTimeout(timer);
      if (isForced()) return;
    }
    if (drain.hasServers()) {
      state = 'closing-servers';
      report('closing-servers', { facts: { inFlight: drain.inFlight() } });
      await Promise.race([drain.close(), aborted]);
      if (isForced()) return;
    }
    state = 'running-handlers';
    queue = [...handlers].sort((a, b) => a.order - b.order || a.index - b.index);
    let reported = false;
    while (queue.length > 0) {
      const handler = queue.shift() as Registered;
      if (!reported && handler.order >= shutdownOrder.logger) {
        complete();
        reported = true;
      }
      await runHandler(handler);
      if (isForced()) return;
    }
    if (!reported) complete();
    state = 'completed';
    finish({
      reason,
      outcome: 'completed',
      durationMs: elapsed(),
      failed: [...failed],
      pending: [],
    });
  };

  function start(why = 'start()'): Promise<ShutdownResult> {
    if (running !== undefined) return running;
    reason = why;
    startedAt = clock.now();
    running = new Promise<ShutdownResult>((resolve) => {
      settle = resolve;
    });
    sequence().catch((error: unknown) => {
      // Only a bug gets here: end as forced rather than hang.
      report('handler-failed', { handler: 'shutdown', error });
      force('deadline');
    });
    return running;
  }

  return {
    onShutdown(name: string, fn: ShutdownHandler, handlerOptions: ShutdownHandlerOptions = {}) {
      if (typeof name !== 'string' || name.length === 0) {
        throw new ConfigurationError('onShutdown: `name` must be a non-empty string');
      }
      if (handlers.some((handler) => handler.name === name)) {
        throw new ConfigurationError(`onShutdown: \`name\` "${name}" is already registered`);
      }
      if (typeof fn !== 'function') {
        throw new ConfigurationError(`onShutdown: \`fn\` must be a function (got ${typeof fn})`);
      }
      const order = handlerOptions?.order ?? 0;
      if (typeof order !== 'number' || !Number.isFinite(order)) {
        throw new ConfigurationError(
          `onShutdown: \`order\` must be a finite number (got ${String(order)})`,
        );
      }
      handlers.push({ name, fn, order, index: handlers.length });
    },
    addServer(server) {
      if (typeof (server as { close?: unknown } | null)?.close !== 'function') {
        throw new ConfigurationError('addServer: `server` must be a server with a close() method');
      }
      drain.add(server);
    },
    start,
    get state() {
      return state;
    },
    inFlight: () => drain.inFlight(),
    dispose: detach,
    [Symbol.dispose]: detach,
  };
}
