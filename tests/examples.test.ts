import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToExit } from '@rampart/test-harness';
import { describe, expect, it } from 'vitest';

const examplesDirectory = new URL('../examples/', import.meta.url).pathname;
const manifestOf = (name: string): { scripts?: { start?: string } } =>
  JSON.parse(readFileSync(join(examplesDirectory, name, 'package.json'), 'utf8'));
/** Runnable examples: a package without a start script only holds code examples share. */
const examples = readdirSync(examplesDirectory).filter(
  (name) =>
    existsSync(join(examplesDirectory, name, 'package.json')) &&
    manifestOf(name).scripts?.start !== undefined,
);

describe('examples', () => {
  it('has at least one example', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('%s runs to completion and exits on its own', async (name) => {
    const directory = join(examplesDirectory, name);
    const start = manifestOf(name).scripts?.start;
    expect(start, `${name} needs a "start" script`).toMatch(/^node /);
    const [, ...args] = (start ?? '').split(/\s+/);
    // Examples that serve until a signal (a service) run a short self-check and exit under SMOKE=1.
    const result = await runToExit(process.execPath, args, {
      cwd: directory,
      timeoutMs: 45_000,
      env: { ...process.env, SMOKE: '1' },
    });
    expect(result.timedOut, `${name} did not exit within 45 s:\n${result.stdout}`).toBe(false);
    expect(result.code, `${name} failed:\n${result.stderr}`).toBe(0);
  });
});
