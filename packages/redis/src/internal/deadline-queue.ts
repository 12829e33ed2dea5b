/** One call waiting for its deadline; `expire` is dropped once the call settles. */
export interface Deadline {
  /** `performance.now()` time at which the call times out. */
  readonly at: number;
  /** Runs once at the deadline unless {@link DeadlineQueue.settle} ran first. */
  expire: (() => void) | undefined;
}

/** Deadlines of calls that all wait the same time, served by one timer. */
export interface DeadlineQueue {
  /** Starts a deadline `timeoutMs` from now; `expire` runs when it passes. */
  start(expire: () => void): Deadline;
  /** Ends `deadline` before it passes: whether it was still pending. */
  settle(deadline: Deadline): boolean;
}

/**
 * Deadlines that all last `timeoutMs` expire in the order they started, so one queue and one
 * timer serve every call in flight instead of a timer per call. The timer is authoritative:
 * when it fires, the deadline it was armed for expires even if the clock lags (fake timers).
 * It keeps the process alive only while a call is pending (a caller is waiting on it): once
 * every call has settled it is unref'd, and it is not re-armed once the queue is empty.
 */
export function createDeadlineQueue(timeoutMs: number): DeadlineQueue {
  let queue: Deadline[] = [];
  let head = 0;
  let timer: NodeJS.Timeout | undefined;
  let armedFor = 0;
  let referenced = false;

  /** Drops settled deadlines from the front so settled calls are not retained. */
  const trim = (): void => {
    while (head < queue.length && (queue[head] as Deadline).expire === undefined) head++;
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
    const next = queue[head] as Deadline;
    armedFor = next.at;
    timer = setTimeout(fire, Math.max(0, next.at - now));
    referenced = true;
  };

  function fire(): void {
    timer = undefined;
    const now = Math.max(performance.now(), armedFor);
    while (head < queue.length && (queue[head] as Deadline).at <= now) {
      const deadline = queue[head++] as Deadline;
      const expire = deadline.expire;
      deadline.expire = undefined;
      expire?.();
    }
    arm(now);
  }

  return {
    start(expire) {
      const now = performance.now();
      const deadline: Deadline = { at: now + timeoutMs, expire };
      trim();
      queue.push(deadline);
      if (timer === undefined) arm(now);
      else if (!referenced) {
        timer.ref();
        referenced = true;
      }
      return deadline;
    },
    settle(deadline) {
      if (deadline.expire === undefined) return false;
      deadline.expire = undefined;
      if (deadline === queue[head]) {
        trim();
        if (head === queue.length && timer !== undefined && referenced) {
          timer.unref();
          referenced = false;
        }
      }
      return true;
    },
  };
}
