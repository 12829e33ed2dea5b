import { spawn } from 'node:child_process';

/** How long {@link runToExit} waits for stdout/stderr to close once the child exited. */
const DRAIN_GRACE_MS = 500;

/**
 * Runs a command to completion and reports how it ended. When it has not exited after
 * `timeoutMs` it is SIGKILLed and the result says `timedOut: true`; tests use this to
 * prove that a process exits on its own after `close()`.
 *
 * @param options - `timeoutMs` defaults to 10000 (far above a healthy child's run time, below
 *   the test timeout); `env` defaults to `process.env`; `cwd` to this process's cwd.
 * @throws {Error} when the command cannot be spawned (e.g. not on PATH).
 * @example
 * ```ts
 * const result = await runToExit(process.execPath, ['examples/worker/main.ts']);
 * expect(result).toMatchObject({ code: 0, timedOut: false });
 * ```
 */
export function runToExit(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}> {
  const { timeoutMs = 10_000, env, cwd } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(env === undefined ? {} : { env }),
      ...(cwd === undefined ? {} : { cwd }),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const killTimer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    killTimer.unref(); // the running child keeps the event loop alive meanwhile
    child.once('error', (error) => {
      clearTimeout(killTimer);
      reject(new Error(`runToExit: cannot run ${command}: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(killTimer);
      const settle = (): void => resolve({ code, signal, stdout, stderr, timedOut });
      // Output may still be buffered in the pipes; a grandchild holding them must not hang us.
      const drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle();
      }, DRAIN_GRACE_MS);
      drainTimer.unref();
      child.once('close', () => {
        clearTimeout(drainTimer);
        settle();
      });
    });
  });
}
