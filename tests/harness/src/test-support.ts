import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerRecord } from './orphans.ts';

/** The harness entry point, importable from a child `node -e` script. */
export const HARNESS_URL: string = new URL('./index.ts', import.meta.url).href;

/** A Node process (test-only) that started a server through the harness and now idles. */
export interface OwnerProcess {
  readonly owner: ChildProcess;
  readonly port: number;
}

/**
 * Spawns a Node process that starts a `redis-server` through the harness, prints its port
 * and idles until killed. `env` lets tests give it a private `TMPDIR` (its own record dir).
 */
export async function spawnOwner(env: NodeJS.ProcessEnv): Promise<OwnerProcess> {
  const script = `
    const { startRedisServer } = await import(${JSON.stringify(HARNESS_URL)});
    const server = await startRedisServer();
    console.log(server.port);
    setInterval(() => {}, 1000);`;
  const owner = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let output = '';
    owner.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('\n')) resolve(output);
    });
    owner.once('exit', (code) => reject(new Error(`owner exited early (${code}): ${output}`)));
  });
  return { owner, port: Number(line.trim()) };
}

/** Resolves with how `child` ended. */
export function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** The server records under `tmp` (a `TMPDIR`). */
export function readRecords(tmp: string): ServerRecord[] {
  const dir = join(tmp, 'rampart-test-redis');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as ServerRecord);
}
