import { readFileSync } from 'node:fs';

/**
 * The state letter of `pid` from `/proc/<pid>/stat` (`R`, `S`, `T` stopped, `Z` zombie, …),
 * or `undefined` when the process is gone or the platform has no procfs.
 */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const afterName = stat.lastIndexOf(')') + 2;
    return stat.slice(afterName, afterName + 1);
  } catch {
    return undefined;
  }
}

/** True when `pid` is a live process (a zombie awaiting its reaper counts as gone). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = processState(pid);
  return state !== 'Z' && state !== 'X';
}
