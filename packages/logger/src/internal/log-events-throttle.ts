/**
 * At most one line per key per interval: the first event of a quiet key is logged at once;
 * the ones that follow within the interval are counted, and when it ends one summary line
 * carries the latest of them and how many there were (`suppressed`), opening another
 * interval. A key quiet for a whole interval starts over.
 */
export interface Throttle<Line> {
  /** Logs `line` now, or counts it towards the key's next summary. */
  offer(key: string, line: Line): void;
  /** Writes every pending summary now and stops the timers. */
  flush(): void;
}

interface Window<Line> {
  count: number;
  latest: Line | undefined;
  timer: NodeJS.Timeout;
}

/**
 * Creates a throttle that writes through `write` (`suppressed` is 0 for a line logged as it
 * happened). An interval of 0 logs every line. Its timers are `unref()`ed.
 */
export function createThrottle<Line>(
  intervalMs: number,
  write: (line: Line, suppressed: number) => void,
): Throttle<Line> {
  const windows = new Map<string, Window<Line>>();

  const open = (key: string): void => {
    const timer = setTimeout(() => close(key), intervalMs);
    timer.unref();
    windows.set(key, { count: 0, latest: undefined, timer });
  };

  const close = (key: string): void => {
    const window = windows.get(key);
    windows.delete(key);
    if (window === undefined || window.latest === undefined) return;
    open(key);
    write(window.latest, window.count);
  };

  return {
    offer(key, line) {
      const window = windows.get(key);
      if (window !== undefined) {
        window.count += 1;
        window.latest = line;
        return;
      }
      if (intervalMs > 0) open(key);
      write(line, 0);
    },
    flush() {
      const pending = [...windows.values()];
      windows.clear();
      for (const window of pending) {
        clearTimeout(window.timer);
        if (window.latest !== undefined) write(window.latest, window.count);
      }
    },
  };
}
