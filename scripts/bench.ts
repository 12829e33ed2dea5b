/**
 * Runs every package benchmark (`packages/<name>/bench/<what>.bench.ts`), one after another, each in its
 * own Node process with the package as working directory. Each benchmark rewrites its own
 * section of docs/benchmarks.md through @rampart/bench-kit.
 *
 * Each file runs in `BENCH_PROCESSES` (default 3) fresh processes; the last one reports every
 * ratio as the median over them, with their range.
 *
 *   node scripts/bench.ts              run all of them (`pnpm bench`)
 *   node scripts/bench.ts retry cache  only files whose path contains "retry" or "cache"
 *
 * Exits non-zero when any benchmark fails, or when none matches the filters.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { writeBenchmarks } from './bench-summary.ts';

const root = join(import.meta.dirname, '..');
const packagesDirectory = join(root, 'packages');

interface Outcome {
  readonly file: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly seconds: number;
}

function findBenchmarks(): string[] {
  if (!existsSync(packagesDirectory)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(packagesDirectory, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const benchDirectory = join(packagesDirectory, entry.name, 'bench');
    if (!existsSync(benchDirectory)) continue;
    for (const file of readdirSync(benchDirectory, { withFileTypes: true })) {
      if (file.isFile() && file.name.endsWith('.bench.ts')) {
        files.push(relative(root, join(benchDirectory, file.name)));
      }
    }
  }
  return files.sort();
}

/** Runs one benchmark; resolves with how it ended (never rejects). */
/** Fresh processes per benchmark file; each ratio is reported as their median and range. */
const processes = Number(process.env.BENCH_PROCESSES ?? 3);
if (!Number.isInteger(processes) || processes < 1) {
  console.error(`BENCH_PROCESSES must be a positive integer (got ${process.env.BENCH_PROCESSES})`);
  process.exit(2);
}
const resultsDirectory = mkdtempSync(join(tmpdir(), 'rampart-bench-'));

function runOnce(file: string, index: number): Promise<Outcome> {
  const packageDirectory = join(root, file, '..', '..');
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@rampart/source', '--expose-gc', join(root, file)],
      {
        cwd: packageDirectory,
        stdio: 'inherit',
        env: {
          ...process.env,
          BENCH_PROCESS: `${index}/${processes}`,
          BENCH_RESULTS_DIR: resultsDirectory,
        },
      },
    );
    child.on('error', (error) => {
      resolve({ file, ok: false, detail: `could not start: ${error.message}`, seconds: seconds() });
    });
    child.on('exit', (code, signal) => {
      const ok = code === 0;
      const detail = signal === null ? `exit code ${code}` : `killed by ${signal}`;
      resolve({ file, ok, detail, seconds: seconds() });
    });
  });
}

/** Runs one file in `processes` fresh processes, one after another; the last one reports. */
async function run(file: string): Promise<Outcome> {
  let total = 0;
  for (let index = 1; index <= processes; index++) {
    if (interrupted) break;
    if (processes > 1) console.log(`  process ${index}/${processes}`);
    const outcome = await runOnce(file, index);
    total += outcome.seconds;
    if (!outcome.ok) return { ...outcome, seconds: total };
  }
  return { file, ok: true, detail: '', seconds: total };
}

const argv = process.argv.slice(2).filter((argument) => argument !== '--');
if (argv.includes('--help') || argv.includes('-h')) {
  console.log('usage: node scripts/bench.ts [filter…]   (pnpm bench [filter…])');
  console.log(
    'Runs packages/*/bench/*.bench.ts whose path contains any filter (all without filters).',
  );
  process.exit(0);
}

const all = findBenchmarks();
const selected = argv.length === 0 ? all : all.filter((file) => argv.some((f) => file.includes(f)));
if (selected.length === 0) {
  const scope =
    argv.length === 0 ? '' : ` matching ${argv.map((f) => JSON.stringify(f)).join(' or ')}`;
  console.error(`No benchmark files${scope} found (looked for packages/*/bench/*.bench.ts).`);
  if (all.length > 0) console.error(`Available:\n${all.map((file) => `  ${file}`).join('\n')}`);
  process.exit(1);
}

let interrupted = false;
process.on('SIGINT', () => {
  // The child got the same SIGINT from the terminal; stop after it ends instead of starting the next.
  interrupted = true;
});

const outcomes: Outcome[] = [];
for (const [index, file] of selected.entries()) {
  if (interrupted) break;
  console.log(`\n▶ [${index + 1}/${selected.length}] ${file}\n`);
  outcomes.push(await run(file));
}

const failed = outcomes.filter((outcome) => !outcome.ok);
const skipped = selected.length - outcomes.length;
console.log('\nBenchmark summary');
for (const outcome of outcomes) {
  const mark = outcome.ok ? '✓' : '✗';
  const detail = outcome.ok ? '' : ` (${outcome.detail})`;
  console.log(`  ${mark} ${outcome.file}  ${outcome.seconds.toFixed(1)} s${detail}`);
}
if (skipped > 0) console.log(`  … ${skipped} not run (interrupted)`);
console.log(`${outcomes.length - failed.length} passed, ${failed.length} failed.`);
if (failed.length > 0) {
  console.error(`\nFailed benchmarks:\n${failed.map((outcome) => `  ${outcome.file}`).join('\n')}`);
}
rmSync(resultsDirectory, { recursive: true, force: true });
if (writeBenchmarks()) console.log('docs/benchmarks.md: summary and charts updated');
process.exit(failed.length > 0 ? 1 : interrupted ? 130 : 0);
