/**
 * Runs an example the way its `start` script does, for the example suites: `node
 * --conditions=@rampart/source src/main.ts` in `examples/<name>/`.
 */
import { runToExit } from '@rampart/test-harness';

const examplesDirectory = new URL('../examples/', import.meta.url).pathname;

/**
 * Runs `examples/<name>` and resolves once it has exited on its own, or was killed after
 * `timeoutMs` (45 s unless given: far above an example's run time, below the test timeout).
 */
export function runExample(
  name: string,
  options: { readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {},
): ReturnType<typeof runToExit> {
  const { timeoutMs = 45_000, env } = options;
  return runToExit(process.execPath, ['--conditions=@rampart/source', 'src/main.ts'], {
    cwd: `${examplesDirectory}${name}/`,
    timeoutMs,
    ...(env === undefined ? {} : { env }),
  });
}
