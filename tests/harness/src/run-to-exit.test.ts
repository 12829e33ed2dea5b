import { describe, expect, it } from 'vitest';
import { runToExit } from './index.ts';

describe('runToExit', () => {
  it('reports the exit code and output of a process that exits on its own', async () => {
    const result = await runToExit(process.execPath, [
      '-e',
      'console.log("out"); console.error("err"); process.exitCode = 3;',
    ]);
    expect(result).toEqual({
      code: 3,
      signal: null,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
    });
  });

  it('passes env and cwd to the child', async () => {
    const result = await runToExit(
      process.execPath,
      ['-e', 'console.log(process.env.HARNESS_PROBE, process.cwd())'],
      { env: { ...process.env, HARNESS_PROBE: 'probe' }, cwd: '/' },
    );
    expect(result.stdout).toBe('probe /\n');
  });

  it('SIGKILLs a process that is still running at timeoutMs and reports timedOut', async () => {
    const started = Date.now();
    const result = await runToExit(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      timeoutMs: 300,
    });
    expect(result).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects when the command cannot be spawned', async () => {
    await expect(runToExit('rampart-no-such-command', [])).rejects.toThrow(/cannot run/);
  });
});
