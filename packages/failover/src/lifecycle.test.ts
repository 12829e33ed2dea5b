import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module script in a child Node process; kills it after 15 s. */
async function runChild(script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@rampart/source', '--input-type=module', '-e', script],
    { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(killer);
  return { code, output };
}

describe('dispose()', () => {
  it('lets the process exit: calls in flight reject and no timer is left behind', async () => {
    const { code, output } = await runChild(`
      const { createFailover } = await import('./src/index.ts');
      const hanging = (name) => ({
        name,
        call: (_input, { signal }) => new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      });
      const failover = createFailover({
        name: 'child',
        providers: [hanging('a'), hanging('b')],
        breaker: { timeoutMs: 600_000 },
        hedge: { delayMs: 300_000 },
      });
      const plain = createFailover({ name: 'plain', providers: [hanging('c')] });
      const pending = [failover.execute(1), plain.execute(2)].map((call) =>
        call.then(() => 'resolved', (error) => error.code),
      );
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all([failover.dispose(), plain.dispose()]);
      console.log(JSON.stringify(await Promise.all(pending)));
    `);
    expect(output.trim()).toBe('["E_UNAVAILABLE","E_UNAVAILABLE"]');
    expect(code).toBe(0);
  });
});
