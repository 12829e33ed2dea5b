/** Progress lines on stderr, kept apart from the result tables on stdout. */
export interface Progress {
  /** Reports what is happening now; on a terminal it replaces the previous status line. */
  status(message: string): void;
  /** Clears the status line (on a terminal) so the next output starts on a clean line. */
  done(): void;
}

/** A {@link Progress} writing to `process.stderr`, prefixing every line with `[bench] <title>`. */
export function createProgress(title: string): Progress {
  const stream = process.stderr;
  const interactive = stream.isTTY === true;
  const prefix = `[bench] ${title}:`;
  let lineOpen = false;
  return {
    status(message) {
      if (interactive) {
        const columns = stream.columns > 0 ? stream.columns - 1 : 120;
        stream.write(`\r\x1b[2K${`${prefix} ${message}`.slice(0, columns)}`);
        lineOpen = true;
      } else {
        stream.write(`${prefix} ${message}\n`);
      }
    },
    done() {
      if (lineOpen) stream.write('\r\x1b[2K');
      lineOpen = false;
    },
  };
}
