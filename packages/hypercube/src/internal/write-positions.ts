import { invalidArgument } from '@rampart/errors';
import type { BlockMetricsColumns, CategoryCodes } from '../batch-types.ts';
import type { BlockMetrics } from '../block-metrics.ts';
import { MAX_COORDINATE } from '../dimensions.ts';
import { categoryTypeError, unknownCategoryError } from './category-errors.ts';
import { UNKNOWN } from './category-lookup.ts';
import { computePosition, recordError, VALID } from './compute-position.ts';
import { validationError } from './errors.ts';
import { complexityKernel, timeKernel } from './kernels.ts';
import { metricsProblems } from './metrics-check.ts';
import type { PositionContext } from './position-context.ts';

const NUMERIC_COLUMNS = [
  'problemDifficulty',
  'solutionQuality',
  'validationConfidence',
  'impactFactor',
  'noveltyScore',
  'userComplexity',
  'timeTaken',
] as const;

/** Rows per chunk: the chunk's category factors stay in L1 between the two passes. */
const CHUNK = 1_024;
const chunkFactors = new Float64Array(CHUNK);

/**
 * The number of rows of a batch (an array of records or {@link BlockMetricsColumns}), after
 * checking its shape: columns must be Float64Arrays of one length, categories strings or codes.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming the bad argument.
 */
export function countRows(metrics: unknown, where: string): number {
  if (Array.isArray(metrics)) return metrics.length;
  if (typeof metrics !== 'object' || metrics === null) {
    throw invalidArgument(
      where,
      'metrics',
      'must be an array of metrics or metrics columns',
      metrics,
    );
  }
  const columns = metrics as Partial<Record<string, unknown>>;
  const first = columns.problemDifficulty;
  const rows = first instanceof Float64Array ? first.length : 0;
  for (const name of NUMERIC_COLUMNS) {
    const column = columns[name];
    if (!(column instanceof Float64Array)) {
      throw invalidArgument(where, `metrics.${name}`, 'must be a Float64Array', column);
    }
    if (column.length !== rows) {
      throw invalidArgument(
        where,
        `metrics.${name}`,
        `must have ${rows} rows, like metrics.problemDifficulty`,
        column.length,
      );
    }
  }
  checkCategoryColumn(columns.category, rows, where);
  return rows;
}

function checkCategoryColumn(category: unknown, rows: number, where: string): void {
  if (Array.isArray(category)) {
    if (category.length !== rows) {
      throw invalidArgument(where, 'metrics.category', `must have ${rows} rows`, category.length);
    }
    return;
  }
  const codes = (category as Partial<CategoryCodes> | null)?.codes;
  const names = (category as Partial<CategoryCodes> | null)?.names;
  if (
    !(
      codes instanceof Uint8Array ||
      codes instanceof Uint16Array ||
      codes instanceof Uint32Array
    ) ||
    !Array.isArray(names)
  ) {
    throw invalidArgument(
      where,
      'metrics.category',
      'must be an array of names or { codes: Uint8Array | Uint16Array | Uint32Array, names: string[] }',
      category,
    );
  }
  if (codes.length !== rows) {
    throw invalidArgument(where, 'metrics.category.codes', `must have ${rows} rows`, codes.length);
  }
  names.forEach((name: unknown, index) => {
    if (typeof name !== 'string')
      throw categoryTypeError(name, false, `metrics.category.names[${index}]`);
  });
}

/**
 * Writes the positions of `rows` records (already counted by {@link countRows}) into `out` from
 * `offset`, as packed rows. Stops at the first bad record with a stack-less ValidationError that
 * locates it; rows before it have been written.
 */
export function writePositions(
  metrics: readonly BlockMetrics[] | BlockMetricsColumns,
  rows: number,
  context: PositionContext,
  out: Float64Array,
  offset: number,
  where: string,
): void {
  if (Array.isArray(metrics)) {
    writeRecords(metrics as readonly BlockMetrics[], rows, context, out, offset);
  } else {
    writeColumns(metrics as BlockMetricsColumns, rows, context, out, offset, where);
  }
}

function writeRecords(
  records: readonly BlockMetrics[],
  rows: number,
  context: PositionContext,
  out: Float64Array,
  offset: number,
): void {
  for (let row = 0, at = offset; row < rows; row++, at += 8) {
    const record = records[row] as BlockMetrics;
    const status = computePosition(record, context, out, at);
    if (status !== VALID) throw recordError(status, record, context, `metrics[${row}].`, false);
  }
}

function writeColumns(
  columns: BlockMetricsColumns,
  rows: number,
  context: PositionContext,
  out: Float64Array,
  offset: number,
  where: string,
): void {
  const factorsOfCodes = Array.isArray(columns.category)
    ? undefined
    : encodeNames((columns.category as CategoryCodes).names, context);
  for (let start = 0; start < rows; start += CHUNK) {
    const end = Math.min(rows, start + CHUNK);
    if (factorsOfCodes === undefined) {
      nameFactors(columns.category as readonly string[], start, end, context);
    } else {
      codeFactors(columns.category as CategoryCodes, factorsOfCodes, start, end, context, where);
    }
    const bad = writeChunk(columns, start, end, out, offset + start * 8);
    if (bad >= 0) throw columnRowError(columns, bad);
  }
}

/** Category factor of each distinct name, or UNKNOWN when strict and not in the table. */
function encodeNames(names: readonly string[], context: PositionContext): Float64Array {
  const factors = new Float64Array(names.length);
  names.forEach((name, index) => {
    const value = context.lookup.valueOf(name);
    factors[index] = value !== UNKNOWN ? value : context.strict ? UNKNOWN : 0.5;
  });
  return factors;
}

function nameFactors(
  names: readonly string[],
  start: number,
  end: number,
  context: PositionContext,
): void {
  const lookup = context.lookup;
  for (let row = start; row < end; row++) {
    const name = names[row];
    if (typeof name !== 'string') throw categoryTypeError(name, false, `metrics.category[${row}]`);
    let value = lookup.valueOf(name);
    if (value === UNKNOWN) {
      if (context.strict) {
        throw unknownCategoryError(`metrics.category[${row}]`, name, lookup.names, false);
      }
      value = 0.5;
    }
    chunkFactors[row - start] = value;
  }
}

function codeFactors(
  category: CategoryCodes,
  factors: Float64Array,
  start: number,
  end: number,
  context: PositionContext,
  where: string,
): void {
  const codes = category.codes;
  for (let row = start; row < end; row++) {
    const value = factors[codes[row] as number];
    if (value === undefined || value === UNKNOWN) {
      throw codeError(category, row, context, where);
    }
    chunkFactors[row - start] = value;
  }
}

function codeError(
  category: CategoryCodes,
  row: number,
  context: PositionContext,
  where: string,
): Error {
  const code = category.codes[row] as number;
  const name = category.names[code];
  if (name === undefined) {
    return invalidArgument(
      where,
      `metrics.category.codes[${row}]`,
      `must be an index into metrics.category.names (0 to ${category.names.length - 1})`,
      code,
    );
  }
  return unknownCategoryError(`metrics.category[${row}]`, name, context.lookup.names, false);
}

/**
 * Validates and writes rows [start, end) in two passes: first the checks and the six coordinates
 * that need no logarithm, then Z and T. Two short loops run faster than one long one: the second
 * is pure arithmetic that the CPU overlaps across rows. Returns the first bad row, or -1.
 */
function writeChunk(
  columns: BlockMetricsColumns,
  start: number,
  end: number,
  out: Float64Array,
  first: number,
): number {
  const difficulties = columns.problemDifficulty;
  const qualities = columns.solutionQuality;
  const confidences = columns.validationConfidence;
  const impacts = columns.impactFactor;
  const novelties = columns.noveltyScore;
  const complexities = columns.userComplexity;
  const times = columns.timeTaken;
  const factors = chunkFactors;
  for (let row = start, at = first; row < end; row++, at += 8) {
    const difficulty = difficulties[row] as number;
    const quality = qualities[row] as number;
    const confidence = confidences[row] as number;
    const impact = impacts[row] as number;
    const novelty = novelties[row] as number;
    const complexity = complexities[row] as number;
    const time = times[row] as number;
    // NaN fails every comparison; typed arrays hold only numbers.
    if (
      !(
        difficulty >= 0 &&
        difficulty <= 1 &&
        quality >= 0 &&
        quality <= 1 &&
        confidence >= 0 &&
        confidence <= 1 &&
        impact >= 0 &&
        impact <= 1 &&
        novelty >= 0 &&
        novelty <= 1 &&
        complexity >= 0 &&
        complexity <= MAX_COORDINATE &&
        time >= 0 &&
        time <= MAX_COORDINATE
      )
    ) {
      return row;
    }
    out[at] = difficulty * (factors[row - start] as number);
    out[at + 1] = quality * confidence;
    out[at + 4] = impact;
    out[at + 5] = complexity;
    out[at + 6] = difficulty;
    out[at + 7] = novelty;
  }
  for (let row = start, at = first; row < end; row++, at += 8) {
    out[at + 2] = complexityKernel(complexities[row] as number);
    out[at + 3] = timeKernel(times[row] as number);
  }
  return -1;
}

function columnRowError(columns: BlockMetricsColumns, row: number): Error {
  const record: Record<string, unknown> = { category: '' };
  for (const name of NUMERIC_COLUMNS) record[name] = columns[name][row];
  return validationError(
    metricsProblems(record, (field) => `metrics.${field}[${row}]`),
    false,
  );
}
