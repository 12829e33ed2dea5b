import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from './process-state.ts';

/** Where each running test `redis-server` is recorded, one JSON file per process. */
export const RECORD_DIR: string = join(tmpdir(), 'rampart-test-redis');

/** What is recorded about a spawned `redis-server`. */
export interface ServerRecord {
  /** The `redis-server` process. */
  readonly pid: number;
  /** The process that spawned it; when that one is gone, the server is an orphan. */
  readonly ownerPid: number;
  /** The port it listens on (guards against killing an unrelated process that reused `pid`). */
  readonly port?: number;
  /** The temp directory to remove together with the orphan. */
  readonly dir?: string;
}

function recordPath(pid: number): string {
  return join(RECORD_DIR, `${pid}.json`);
}

/** Records a spawned server so a later run can kill it if this process dies without cleanup. */
export function writeRecord(record: ServerRecord): void {
  mkdirSync(RECORD_DIR, { recursive: true });
  // Write then rename, so a concurrent `removeOrphans` never reads half a record.
  const partial = `${recordPath(record.pid)}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(record));
  renameSync(partial, recordPath(record.pid));
}

/** Forgets the record of a server that exited. */
export function removeRecord(pid: number): void {
  rmSync(recordPath(pid), { force: true });
}

/** True when `pid` still runs `redis-server` (on `port`, when known) and not some reused pid. */
function isOurRedisServer(record: ServerRecord): boolean {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      commandLine = execFileSync('ps', ['-o', 'command=', '-p', String(record.pid)], {
        encoding: 'utf8',
      });
    } catch {
      return false;
    }
  }
  if (!commandLine.includes('redis-server')) return false;
  return record.port === undefined || commandLine.includes(`:${record.port}`);
}

function readRecord(file: string): ServerRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(RECORD_DIR, file), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, ownerPid } = parsed as Partial<ServerRecord>;
    if (typeof pid !== 'number' || typeof ownerPid !== 'number') return undefined;
    return parsed as ServerRecord;
  } catch {
    return undefined;
  }
}

/**
 * Kills recorded `redis-server` processes whose owner is gone (left behind by a crashed
 * or SIGKILLed test run), removes their temp dirs and deletes stale records.
 * Records of live owners are left alone. Synchronous: it runs when the harness loads.
 *
 * @returns the pids of the orphans it killed.
 */
export function removeOrphans(): number[] {
  let files: string[];
  try {
    files = readdirSync(RECORD_DIR).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const file of files) {
    const record = readRecord(file);
    if (record !== undefined && isProcessRunning(record.ownerPid)) continue;
    if (record !== undefined && isProcessRunning(record.pid) && isOurRedisServer(record)) {
      try {
        process.kill(record.pid, 'SIGKILL');
        killed.push(record.pid);
      } catch {
        // It exited in the meantime.
      }
    }
    if (record?.dir !== undefined) rmSync(record.dir, { recursive: true, force: true });
    rmSync(join(RECORD_DIR, file), { force: true });
  }
  return killed;
}
