import type { LogStream } from '../destinations.ts';

/** A log line as tests read it back. */
export type LogRecord = Record<string, unknown> & { readonly msg?: string; readonly level: number };

/** A stream destination that keeps every line, for assertions. */
export interface Capture {
  readonly stream: LogStream;
  readonly lines: string[];
  records(): LogRecord[];
  last(): LogRecord;
}

export function capture(): Capture {
  const lines: string[] = [];
  const records = (): LogRecord[] => lines.map((line) => JSON.parse(line) as LogRecord);
  return {
    stream: {
      write(line: string) {
        lines.push(line);
      },
    },
    lines,
    records,
    last() {
      const record = records().at(-1);
      if (record === undefined) throw new Error('no line was written');
      return record;
    },
  };
}
