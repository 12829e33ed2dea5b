import { TimeoutError } from '@rampart/errors';

/** How a raced call ended: exactly one of these runs, once. */
export interface RaceCallbacks<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Races store calls against one fixed deadline. */
export interface Deadlines {
  /**
   * Calls `resolve` with `work`'s value, or `reject` with its error, a {@link TimeoutError}
   * after the deadline, or the signal's reason when it aborts, whichever comes first. A late
   * rejection of `work` is always handled: it can never become an unhandled rejection.
   */
  race<T>(work: Promise<T>, signal: AbortSignal | undefined, callbacks: RaceCallbacks<T>): void;
}

/** One call in flight. Settling drops the callbacks, so a settled entry retains nothing. */
interface Entry {
  /** `performance.now()` time at which the call times out. */
  readonly deadline: number;
  callbacks: RaceCallbacks<never> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Ends `entry` if it is still pending; returns its callbacks to run, or `undefined`. */
function settle(entry: Entry): RaceCallbacks<never> | undefined {
  const { callbacks, signal, onAbort } = entry;
  if (callbacks === undefined) return undefined;
  entry.callbacks = undefined;
  if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  entry.signal = undefined;
  entry.onAbort = undefined;
  return callbacks;
}

/**
 * Deadlines for calls that all wait `timeoutMs`: they expire in the order they started, so
 * one queue and one (unref'd) timer serve every call in flight, instead of a timer per call.
 * The timer is authoritative: when it fires, the entry it was set for expires even if the
 * clock lags (fake timers), and so does every entry due by then.
 */
export function createDeadlines(timeoutMs: number, what: string): Deadlines {
  let queue: Entry[] = [];
  let head = 0;
  let timer: NodeJS.Timeout | undefined;
  let armedFor = 0;

  const timeout = (): TimeoutError =>
    new TimeoutError(`${what} took longer than ${timeoutMs} ms`, {
      context: { timeoutMs },
      captureStack: false,
    });

  /** Drops settled entries from the front, so settled calls are not kept until a timer fires. */
  const trim = (): void => {
    while (head < queue.length && (queue[head] as Entry).callbacks === undefined) head++;
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head > 256) {
      queue = queue.slice(head);
      head = 0;
    }
  };

  const arm = (now: number): void => {
    trim();
    if (head === queue.length) return;
    const entry = queue[head] as Entry;
    armedFor = entry.deadline;
    timer = setTimeout(fire, Math.max(0, entry.deadline - now));
    timer.unref();
  };

  function fire(): void {
    timer = undefined;
    const now = Math.max(performance.now(), armedFor);
    while (head < queue.length && (queue[head] as Entry).deadline <= now) {
      settle(queue[head++] as Entry)?.reject(timeout());
    }
    arm(now);
  }

  return {
    race(work, signal, callbacks) {
      const now = performance.now();
      const entry: Entry = {
        deadline: now + timeoutMs,
        callbacks: callbacks as RaceCallbacks<never>,
        signal,
        onAbort: undefined,
      };
      if (signal !== undefined) {
        entry.onAbort = () => settle(entry)?.reject(signal.reason);
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      trim();
      queue.push(entry);
      if (timer === undefined) arm(now);
      work.then(
        (value) => settle(entry)?.resolve(value as never),
        (error: unknown) => settle(entry)?.reject(error),
      );
    },
  };
}
