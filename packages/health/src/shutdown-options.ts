import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.ts';
import type { Health } from './create-health.ts';

/**
 * A server the shutdown closes: a `node:http` or `node:https` server, the server Express's
 * `app.listen()` returns, or Fastify's `app.server`.
 */
export interface ShutdownServer {
  /** Stops accepting connections; calls back once every connection has ended. */
  close(callback?: (error?: Error) => void): unknown;
  /** Closes connections without a request in flight (Node 18.2+). */
  closeIdleConnections?(): void;
  /** Destroys every connection (Node 18.2+); used only when the deadline passes. */
  closeAllConnections?(): void;
  /** Subscribes to requests, so in-flight requests are counted and told to close. */
  on?(
    event: 'request',
    listener: (request: IncomingMessage, response: ServerResponse) => void,
  ): unknown;
  /** Unsubscribes. */
  off?(
    event: 'request',
    listener: (request: IncomingMessage, response: ServerResponse) => void,
  ): unknown;
}

/** The part of `process` the shutdown uses; tests pass a stand-in. */
export interface ShutdownProcess {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  /** Ends the process; called only when the shutdown is forced. */
  exit(code: number): unknown;
}

/** A pino-like logger the shutdown reports its phases to. */
export interface ShutdownLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Options of {@link createShutdown}. */
export interface ShutdownOptions {
  /**
   * The coordinator's name, in events, metrics (`name` label) and logs.
   *
   * @defaultValue `'default'`
   */
  readonly name?: string;
  /**
   * The signals that start the shutdown; a second one during it forces the exit.
   *
   * @defaultValue `['SIGTERM', 'SIGINT']`: what Kubernetes, Docker, systemd and Ctrl-C send.
   */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * How long to keep serving after readiness turned `fail`, in milliseconds, so load
   * balancers notice and stop sending traffic before the listener closes.
   *
   * @defaultValue `5_000`: a few readiness probe periods and endpoint propagation in Kubernetes.
   */
  readonly drainDelayMs?: number;
  /**
   * The deadline of the whole shutdown from the first signal, in milliseconds, drain delay
   * included; past it the process exits with code 1.
   *
   * @defaultValue `25_000`: inside Kubernetes' default `terminationGracePeriodSeconds` of 30,
   * so the process says what was still running before it gets SIGKILL.
   */
  readonly timeoutMs?: number;
  /** The health registry whose readiness fails the moment the shutdown starts. */
  readonly health?: Health;
  /** Servers to close: stop accepting, drain in-flight requests, close idle keep-alives. */
  readonly servers?: readonly ShutdownServer[];
  /** Where the phases are logged. */
  readonly logger?: ShutdownLogger;
  /**
   * Where signals come from and how the process is ended.
   *
   * @defaultValue the global `process`
   */
  readonly process?: ShutdownProcess;
  /**
   * The time source of elapsed times.
   *
   * @defaultValue `Date.now()`
   */
  readonly clock?: Clock;
}

/** What a shutdown handler receives. */
export interface ShutdownContext {
  /** Aborts when the shutdown's deadline passes or a second signal arrives. */
  readonly signal: AbortSignal;
  /** Why the shutdown started: the signal's name or the reason given to `start()`. */
  readonly reason: string;
  /** Milliseconds left until the deadline. */
  readonly remainingMs: number;
}

/** A shutdown handler: closes one thing (a cache, a pool, a logger). */
export type ShutdownHandler = (context: ShutdownContext) => unknown;

/** Options of {@link Shutdown.onShutdown}. */
export interface ShutdownHandlerOptions {
  /**
   * Handlers run one after the other by ascending `order`, then in registration order. See
   * {@link shutdownOrder} for the usual places; handlers at or above
   * `shutdownOrder.logger` run after the shutdown reports itself complete.
   *
   * @defaultValue `0`: before the built-in places, as your own work usually depends on them.
   */
  readonly order?: number;
}

/** How a shutdown ended. */
export interface ShutdownResult {
  /** Why it started. */
  readonly reason: string;
  /** `completed`: every step ran; `forced`: the deadline or a second signal cut it short. */
  readonly outcome: 'completed' | 'forced';
  /** Milliseconds from start to end. */
  readonly durationMs: number;
  /** The handlers that threw or rejected. */
  readonly failed: readonly string[];
  /** When forced: what was still running. */
  readonly pending: readonly string[];
}

/** The phase a shutdown is in. */
export type ShutdownState =
  | 'idle'
  | 'draining'
  | 'closing-servers'
  | 'running-handlers'
  | 'completed'
  | 'forced';

/** A graceful shutdown coordinator, from {@link createShutdown}. */
export interface Shutdown {
  /**
   * Registers a handler to run during the shutdown.
   *
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the name is
   * empty or taken, `fn` is not a function or `order` is not a finite number.
   */
  onShutdown(name: string, fn: ShutdownHandler, options?: ShutdownHandlerOptions): void;
  /** Adds a server to close (one created after the coordinator). */
  addServer(server: ShutdownServer): void;
  /**
   * Starts the shutdown as a signal would; later calls return the same promise.
   *
   * @param reason - why, for logs and events.
   * @defaultValue `reason`: `'start()'`
   */
  start(reason?: string): Promise<ShutdownResult>;
  /** The current phase. */
  readonly state: ShutdownState;
  /** Requests in flight on the servers. */
  inFlight(): number;
  /** Stops listening for signals and requests without shutting down. */
  dispose(): void;
  /** Same as `dispose()`. */
  [Symbol.dispose](): void;
}

/**
 * The usual places of shutdown handlers: caches first (their refreshes need the rest), then
 * rate limiters, breakers, Redis, metrics, and the logger last so every step is logged.
 */
export const shutdownOrder: {
  readonly cache: 100;
  readonly rateLimiter: 200;
  readonly breakers: 300;
  readonly redis: 400;
  readonly metrics: 500;
  readonly logger: 1000;
} = Object.freeze({
  cache: 100,
  rateLimiter: 200,
  breakers: 300,
  redis: 400,
  metrics: 500,
  logger: 1000,
} as const);
