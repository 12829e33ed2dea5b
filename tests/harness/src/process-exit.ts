import { isMainThread } from 'node:worker_threads';

/** Synchronous cleanup of one spawned process (remove its record, its temp dir). */
type CleanupSync = () => void;

const tracked = new Map<number, CleanupSync>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function killAllSync(): void {
  for (const [pid, cleanup] of tracked) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    try {
      cleanup();
    } catch {
      // Best effort while the process goes down.
    }
  }
  tracked.clear();
}

function onExit(): void {
  killAllSync();
}

/**
 * Kills the tracked processes, then gives the signal its default behaviour back: when no
 * other listener handles it, the signal is raised again so this process dies of it as usual.
 */
function onSignal(signal: NodeJS.Signals): void {
  killAllSync();
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  // Worker threads never receive signals; the main thread's handlers cover them.
  if (isMainThread) for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Tracks a spawned process: if this process exits (or dies of SIGINT, SIGTERM, SIGHUP)
 * before {@link untrackProcess}, it is SIGKILLed synchronously and `cleanup` runs.
 */
export function trackProcess(pid: number, cleanup: CleanupSync): void {
  tracked.set(pid, cleanup);
  install();
}

/** Stops tracking a process that exited; removes the handlers when nothing is tracked. */
export function untrackProcess(pid: number): void {
  tracked.delete(pid);
  if (tracked.size === 0) uninstall();
}
