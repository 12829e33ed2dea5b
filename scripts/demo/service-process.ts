import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** One JSON log line of the service. */
export interface LogLine {
  readonly level: number;
  readonly time: string;
  readonly msg: string;
  readonly event?: string;
  readonly [field: string]: unknown;
}

/** The hardened service running as a child process. */
export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  /** Every log line so far. */
  readonly logs: readonly LogLine[];
  /**
   * Sends SIGTERM and resolves once the process exited by itself (SIGKILL after
   * `timeoutMs`, reported as `killed`).
   */
  stop(timeoutMs?: number): Promise<ServiceExit>;
  /** SIGKILLs it (when the demo itself fails). */
  kill(): void;
}

/** How the service process ended. */
export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
  readonly killed: boolean;
}

const mainPath = fileURLToPath(
  new URL('../../examples/hardened-service/src/main.ts', import.meta.url),
);

/**
 * Starts `examples/hardened-service/src/main.ts` from source (`--conditions=@rampart/source`:
 * no build needed) with `env` added to this process's environment, collects its JSON log
 * lines, and resolves once it logged that it listens.
 *
 * @throws {Error} with its output when it exits or does not listen within `timeoutMs`.
 */
export async function startServiceProcess(
  env: Readonly<Record<string, string>>,
  timeoutMs = 20_000,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=@rampart/source', mainPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        return;
      }
      logs.push(line);
      if (line.msg.startsWith('listening on') && typeof line.url === 'string') {
        clearTimeout(timer);
        resolve(line.url);
      }
    });
    exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${signal ?? code}) before listening:\n${stderr}`));
    });
  });

  const startedAt = performance.now();
  return {
    url,
    pid: child.pid ?? 0,
    logs,
    async stop(stopTimeoutMs = 15_000) {
      const sent = performance.now();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, stopTimeoutMs);
      const [code, signal] = await exited;
      clearTimeout(timer);
      return { code, signal, durationMs: performance.now() - Math.max(sent, startedAt), killed };
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
