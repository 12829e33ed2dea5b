/** Shows how the demo is going while it runs. */
export interface Progress {
  /** Starts a new phase; off a terminal, this always prints a line. */
  phase(title: string): void;
  /** Stops updating and clears the line (on a terminal). */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A progress indicator fit for where the output goes: on a terminal, one line redrawn ten
 * times a second (a spinner, the phase and `status()`); otherwise (CI logs, a pipe) a plain
 * line at each phase and every `intervalMs`, so logs stay readable.
 */
export function createProgress(
  stream: NodeJS.WriteStream,
  status: () => string,
  intervalMs = 2_000,
): Progress {
  const tty = stream.isTTY === true;
  const started = performance.now();
  let title = 'starting';
  let frame = 0;
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const render = (): void => {
    if (tty) {
      const line = `${SPINNER[frame++ % SPINNER.length]} ${title}  ${elapsed()}  ${status()}`;
      const width = stream.columns > 0 ? stream.columns - 1 : 120;
      stream.write(`\r\x1b[2K${line.slice(0, width)}`);
    } else {
      stream.write(`[${elapsed()}] ${title}: ${status()}\n`);
    }
  };
  const timer = setInterval(render, tty ? 100 : intervalMs);
  timer.unref();
  return {
    phase(next) {
      title = next;
      render();
    },
    stop() {
      clearInterval(timer);
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
