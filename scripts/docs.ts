/**
 * `pnpm run docs`: regenerates the generated parts of the guides (error codes, examples), then builds the TypeDoc
 * API reference of every package into docs/api/ with warnings treated as errors.
 */
import { spawnSync } from 'node:child_process';
import { writeBenchmarks } from './bench-summary.ts';
import { writeErrorCodesTable } from './error-codes-table.ts';
import { writeExamples } from './examples-page.ts';

const env = {
  ...process.env,
  PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH ?? ''}`,
};
const run = (command: string, args: readonly string[]): number =>
  spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;

if (writeErrorCodesTable()) {
  console.log('docs/errors.md: codes table updated');
  run('biome', ['format', '--write', 'docs/errors.md']);
}
if (writeExamples()) console.log('docs/examples.md: examples updated');
if (writeBenchmarks()) console.log('docs/benchmarks.md: summary and charts updated');
process.exit(run('typedoc', ['--options', 'typedoc.json']));
