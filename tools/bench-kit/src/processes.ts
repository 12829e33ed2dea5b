/**
 * Several processes, one claim: `pnpm bench` runs each benchmark file in several fresh
 * processes (`BENCH_PROCESS=i/n`, results kept in `BENCH_RESULTS_DIR`); the last one reports
 * every ratio as the median over the processes, with the range they spanned.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompareResult, CompareRow } from './compare-types.ts';
import { median } from './stats.ts';

/** Which of how many processes this is, from `BENCH_PROCESS` (`"2/3"`); undefined alone. */
export function processPosition(
  value: string | undefined = process.env.BENCH_PROCESS,
): { index: number; count: number } | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (match === null) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return index >= 1 && index <= count ? { index, count } : undefined;
}

function fileOf(directory: string, title: string, index: number): string {
  const slug = title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  let hash = 0;
  for (const char of title) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return join(directory, `${slug}-${hash.toString(36)}.${index}.json`);
}

/** Combines the same comparison measured by several processes (same cases, same baseline). */
export function combineResults(results: readonly CompareResult[]): CompareResult {
  const [first] = results;
  if (first === undefined) throw new RangeError('combineResults needs at least one result');
  if (results.length === 1) return first;
  const rows = first.rows.map((row): CompareRow => {
    const same = results
      .map((result) => result.rows.find((candidate) => candidate.name === row.name))
      .filter((candidate): candidate is CompareRow => candidate !== undefined);
    const ratios = same.map((candidate) => candidate.relativeToBaseline);
    const nsPerOp = median(same.map((candidate) => candidate.nsPerOp));
    const shared = same
      .map((candidate) => candidate.shared)
      .filter((candidate) => candidate !== undefined);
    return {
      name: row.name,
      nsPerOp,
      opsPerSec: 1e9 / nsPerOp,
      relativeToBaseline: median(ratios),
      spread: Math.max(...same.map((candidate) => candidate.spread)),
      processes: { count: same.length, min: Math.min(...ratios), max: Math.max(...ratios) },
      ...(shared.length === 0
        ? {}
        : {
            shared: {
              relativeToBaseline: median(shared.map((candidate) => candidate.relativeToBaseline)),
              spread: Math.max(...shared.map((candidate) => candidate.spread)),
              nsPerOp: median(shared.map((candidate) => candidate.nsPerOp)),
            },
          }),
    };
  });
  return { title: first.title, baseline: first.baseline, rows };
}

/**
 * Keeps this process's result when it is one of several; in the last process returns the
 * combination of all of them (those that ran), otherwise the result as measured.
 */
export function acrossProcesses(result: CompareResult): CompareResult {
  const position = processPosition();
  const directory = process.env.BENCH_RESULTS_DIR;
  if (position === undefined || directory === undefined || directory === '') return result;
  mkdirSync(directory, { recursive: true });
  writeFileSync(fileOf(directory, result.title, position.index), JSON.stringify(result));
  if (position.index < position.count) return result;
  const all: CompareResult[] = [];
  for (let index = 1; index <= position.count; index++) {
    try {
      all.push(JSON.parse(readFileSync(fileOf(directory, result.title, index), 'utf8')));
    } catch {
      // That process did not get this far; combine the others.
    }
  }
  return combineResults(all);
}
