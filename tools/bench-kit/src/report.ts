import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { withCharts } from './charts.ts';
import type { CompareResult } from './compare-types.ts';
import { type BenchEnvironment, describeEnvironment } from './environment.ts';
import {
  type Cell,
  type CompareTableOptions,
  escapeText,
  markdownTable,
  renderCompareTable,
} from './markdown.ts';
import { findRepoRoot } from './repo-root.ts';
import { replaceSection, sectionMarkers } from './sections.ts';

/** Options of {@link report}. */
export interface ReportOptions {
  /** The section's heading, as plain text, e.g. `@rampart/retry: backoff and retry loop`. */
  readonly title: string;
  /** The command that reruns exactly this section, e.g. `pnpm bench retry`. */
  readonly rerun: string;
}

/**
 * Collects markdown for one generated section of `docs/benchmarks.md`. Every method but
 * {@link Report.write} returns the same report, so calls chain.
 */
export interface Report {
  /** Adds a sub-heading (`###`), written as markdown. */
  heading(text: string): Report;
  /** Adds a paragraph of markdown, written as given. */
  text(markdown: string): Report;
  /** Adds the table of a {@link CompareResult}: ratios first, absolute ns/op as indicative only. */
  compareTable(result: CompareResult, options?: CompareTableOptions): Report;
  /**
   * Adds a markdown table. String cells are markdown (only `|` and line breaks are escaped);
   * numbers are formatted with thousands separators and right-aligned.
   */
  table(headers: readonly string[], rows: readonly (readonly Cell[])[]): Report;
  /**
   * Rewrites this report's section of `docs/benchmarks.md` (at the workspace root), in place
   * or inserted in id order when new, leaving the rest of the file untouched, with a bar chart
   * (`docs/images/bench/<id>-<n>.svg`) before each comparison table.
   * @throws {Error} when the file's section markers are damaged (nothing is written then).
   */
  write(): Promise<void>;
}

/**
 * Starts the section `id` of `docs/benchmarks.md`, delimited by `<!-- bench:<id>:start -->` and
 * `<!-- bench:<id>:end -->`. Use one id per benchmark file: the package name, or
 * `<package>.<file>` when a package has several.
 *
 * @throws {RangeError} when `id` is not letters, digits, `.`, `_` and `-`.
 * @example
 * ```ts
 * await report('retry', { title: '@rampart/retry', rerun: 'pnpm bench retry' })
 *   .text('Computing the next delay, against p-retry.')
 *   .compareTable(result)
 *   .write();
 * ```
 */
export function report(id: string, options: ReportOptions): Report {
  sectionMarkers(id);
  const blocks: string[] = [];
  const self: Report = {
    heading(text) {
      blocks.push(`### ${text.replace(/\r?\n/g, ' ')}`);
      return self;
    },
    text(markdown) {
      blocks.push(markdown.trim());
      return self;
    },
    compareTable(result, tableOptions) {
      blocks.push(renderCompareTable(result, tableOptions));
      return self;
    },
    table(headers, rows) {
      blocks.push(markdownTable(headers, rows));
      return self;
    },
    async write() {
      const root = findRepoRoot();
      const file = join(root, 'docs', 'benchmarks.md');
      const charted = withCharts(id, renderSection(options, describeEnvironment(), blocks));
      await writeCharts(root, id, charted.charts);
      const body = charted.markdown;
      const current = await readFile(file, 'utf8').catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '# Benchmarks\n';
        throw error;
      });
      const next = replaceSection(current, id, body);
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, next, 'utf8');
      await rename(temporary, file);
      console.error(`[bench] wrote section "${id}" of ${relative(process.cwd(), file)}`);
    },
  };
  return self;
}

/**
 * Writes a section's charts to `docs/images/bench/` and removes the section's charts of an
 * earlier run that this one no longer has.
 */
export async function writeCharts(
  root: string,
  id: string,
  charts: ReadonlyMap<string, string>,
): Promise<void> {
  const directory = join(root, 'docs', 'images', 'bench');
  await mkdir(directory, { recursive: true });
  const own = new RegExp(`^${id.replaceAll('.', '\\.')}-\\d+\\.svg$`);
  for (const file of await readdir(directory)) {
    if (own.test(file) && !charts.has(file)) await rm(join(directory, file));
  }
  for (const [file, svg] of charts) await writeFile(join(directory, file), svg, 'utf8');
}

/**
 * The markdown of one section (without its markers): title, how to rerun it, when and where it
 * ran, then the collected blocks separated by blank lines.
 */
export function renderSection(
  options: ReportOptions,
  environment: BenchEnvironment,
  blocks: readonly string[],
): string {
  const where =
    `Measured ${environment.date} on Node ${environment.nodeVersion}, ${environment.cpuModel} ` +
    `(${environment.cores} ${environment.cores === 1 ? 'core' : 'cores'}, ${environment.platform}).`;
  const header = [`## ${escapeText(options.title)}`, `Rerun with \`${options.rerun}\`. ${where}`];
  return [...header, ...blocks].join('\n\n');
}
