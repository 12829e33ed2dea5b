/**
 * The label index of one metric: label values → series, through one nested `Map` level per
 * label name, so a lookup reads each label once and hashes no string it builds (prom-client
 * concatenates every label into a key string on every call). Holds at most `maxSeries`
 * label sets; a label set beyond that is folded into one overflow series and never stored,
 * so memory stays bounded whatever the callers send.
 */
import { invalidArgument, type ValidationError } from '@rampart/errors';
import { labelPairs } from './exposition-text.ts';

/** What the index needs of a series. */
export interface IndexedSeries {
  /** The label values in label-name order (`['true']` for the overflow series). */
  readonly labelValues: readonly string[];
  /** The escaped `name="value"` pairs of the series, `''` without labels. */
  readonly labelText: string;
  /** True once the series was removed from the index; bound handles then look it up again. */
  detached: boolean;
}

/** The label name of the overflow series. */
export const OVERFLOW_LABEL = 'overflow';

/** Builds a series for a label set: its values and their pre-escaped text. */
export type SeriesFactory<Series> = (
  labelValues: readonly string[],
  labelText: string,
  overflow: boolean,
) => Series;

type Node = Map<string, unknown>;

export class SeriesIndex<Series extends IndexedSeries> {
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  private readonly create: SeriesFactory<Series>;
  private readonly onFirstOverflow: () => void;
  private root: Node = new Map();
  private readonly members = new Set<Series>();
  private overflowSeries: Series | undefined;
  private single: Series | undefined;

  constructor(options: {
    readonly labelNames: readonly string[];
    readonly maxSeries: number;
    readonly create: SeriesFactory<Series>;
    readonly onFirstOverflow: () => void;
  }) {
    this.labelNames = options.labelNames;
    this.maxSeries = options.maxSeries;
    this.create = options.create;
    this.onFirstOverflow = options.onFirstOverflow;
  }

  /** How many label sets are stored, the overflow series not included (1 without labels). */
  get size(): number {
    return this.labelNames.length === 0 ? 1 : this.members.size;
  }

  /**
   * Every series, in creation order, then the overflow series when there is one. A metric
   * without labels always has its one series, as in prom-client.
   */
  *all(): IterableIterator<Series> {
    if (this.labelNames.length === 0) {
      yield this.only();
      return;
    }
    yield* this.members;
    if (this.overflowSeries !== undefined) yield this.overflowSeries;
  }

  /** The only series of a metric without labels, created on first use. */
  only(): Series {
    const series = this.single;
    if (series !== undefined) return series;
    const fresh = this.create([], '', false);
    this.single = fresh;
    return fresh;
  }

  /**
   * The series of a labels object: the stored one, a new one, or the overflow series.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is missing, unknown or not a string or number.
   */
  find(labels: unknown, where: string): Series {
    const names = this.labelNames;
    if (typeof labels !== 'object' || labels === null) throw badLabels(where, this, labels);
    const record = labels as Readonly<Record<string, unknown>>;
    const last = names.length - 1;
    let node = this.root;
    for (let index = 0; index < last; index++) {
      const next = node.get(labelValue(record, names[index] as string, where));
      if (next === undefined) return this.findSlow(record, where);
      node = next as Node;
    }
    const series = node.get(labelValue(record, names[last] as string, where));
    if (series === undefined) return this.findSlow(record, where);
    if (!hasOnlyKnownKeys(record, names.length)) throw unknownLabel(where, this, record);
    return series as Series;
  }

  /** The series of label values in label-name order: the stored one, a new one, or the overflow series. */
  resolve(values: readonly string[]): Series {
    if (this.labelNames.length === 0) return this.only();
    const node = this.walk(values, false);
    const found = node?.get(values[values.length - 1] as string) as Series | undefined;
    if (found !== undefined) return found;
    if (this.members.size >= this.maxSeries) return this.overflow();
    const parent = this.walk(values, true) as Node;
    return this.add(values, parent);
  }

  /**
   * Converts a labels object to values in label-name order.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is missing, unknown or not a string or number.
   */
  valuesOf(labels: unknown, where: string): string[] {
    if (typeof labels !== 'object' || labels === null) throw badLabels(where, this, labels);
    const record = labels as Readonly<Record<string, unknown>>;
    const values = this.labelNames.map((name) => labelValue(record, name, where));
    if (!hasOnlyKnownKeys(record, values.length)) throw unknownLabel(where, this, record);
    return values;
  }

  /** Removes the series of these values, if stored; frees its place in the budget. */
  remove(values: readonly string[]): void {
    if (this.labelNames.length === 0) {
      this.clear();
      return;
    }
    const path: Node[] = [];
    let node: Node | undefined = this.root;
    for (let index = 0; index < values.length - 1 && node !== undefined; index++) {
      path.push(node);
      node = node.get(values[index] as string) as Node | undefined;
    }
    const key = values[values.length - 1] as string;
    const series = node?.get(key) as Series | undefined;
    if (node === undefined || series === undefined) return;
    node.delete(key);
    series.detached = true;
    this.members.delete(series);
    for (let index = path.length - 1; index >= 0 && node.size === 0; index--) {
      const parent = path[index] as Node;
      parent.delete(values[index] as string);
      node = parent;
    }
  }

  /** Removes every series, the overflow series included; a metric without labels gets a fresh one. */
  clear(): void {
    for (const series of this.members) series.detached = true;
    this.members.clear();
    if (this.overflowSeries !== undefined) this.overflowSeries.detached = true;
    this.overflowSeries = undefined;
    if (this.single !== undefined) this.single.detached = true;
    this.single = undefined;
    this.root = new Map();
  }

  private findSlow(record: Readonly<Record<string, unknown>>, where: string): Series {
    return this.resolve(this.valuesOf(record, where));
  }

  private overflow(): Series {
    if (this.overflowSeries === undefined) {
      this.overflowSeries = this.create(['true'], `${OVERFLOW_LABEL}="true"`, true);
      this.onFirstOverflow();
    }
    return this.overflowSeries;
  }

  /** The map holding the last label level of `values`; created on the way when `create`. */
  private walk(values: readonly string[], create: boolean): Node | undefined {
    let node = this.root;
    for (let index = 0; index < values.length - 1; index++) {
      const key = values[index] as string;
      let next = node.get(key) as Node | undefined;
      if (next === undefined) {
        if (!create) return undefined;
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    return node;
  }

  private add(values: readonly string[], parent: Node): Series {
    const series = this.create(values, labelPairs(this.labelNames, values), false);
    parent.set(values[values.length - 1] as string, series);
    this.members.add(series);
    return series;
  }
}

function labelValue(
  record: Readonly<Record<string, unknown>>,
  name: string,
  where: string,
): string {
  const value = record[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalidArgument(where, `labels.${name}`, 'must be a string or a number', value);
}

/** True when the object has no enumerable key beyond the `expected` label names already read. */
function hasOnlyKnownKeys(record: Readonly<Record<string, unknown>>, expected: number): boolean {
  let count = 0;
  for (const _ in record) count++;
  return count === expected;
}

function badLabels(
  where: string,
  index: { labelNames: readonly string[] },
  labels: unknown,
): ValidationError {
  const expectation =
    index.labelNames.length === 0
      ? 'must be an empty object (this metric has no labels)'
      : `must be an object with the labels ${index.labelNames.join(', ')}`;
  return invalidArgument(where, 'labels', expectation, labels);
}

function unknownLabel(
  where: string,
  index: { labelNames: readonly string[] },
  record: Readonly<Record<string, unknown>>,
): ValidationError {
  const unknown = Object.keys(record).filter((key) => !index.labelNames.includes(key));
  return invalidArgument(
    where,
    `labels.${unknown[0] ?? ''}`,
    index.labelNames.length === 0
      ? 'is not a label of this metric (it has none)'
      : `is not a label of this metric (its labels: ${index.labelNames.join(', ')})`,
    record[unknown[0] ?? ''],
  );
}
