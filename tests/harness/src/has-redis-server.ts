import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

let warned = false;

function isOnPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Not in this dir.
    }
  }
  return false;
}

/**
 * Whether Redis suites can run: `REDIS_URL` is set or `redis-server` is on PATH.
 * Without either it returns `false` after one loud warning on stderr (once per process),
 * except under `CI=true`, where skipping would hide the suites: there it throws.
 *
 * @throws {Error} when `CI=true` and neither `REDIS_URL` nor `redis-server` is available.
 * @example
 * ```ts
 * describe.runIf(hasRedisServer())('Redis store', () => {
 *   // …
 * });
 * ```
 */
export function hasRedisServer(): boolean {
  if (process.env.REDIS_URL || isOnPath('redis-server')) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      'redis-server is required in CI: install it (e.g. apt-get install redis-server) or set REDIS_URL',
    );
  }
  if (!warned) {
    warned = true;
    console.warn(
      '\n!!! redis-server is not on PATH and REDIS_URL is not set: the Redis suites are SKIPPED.\n' +
        '!!! Install redis-server or set REDIS_URL=redis://host:port to run them.\n',
    );
  }
  return false;
}
