/**
 * A small, strict parser of the Prometheus text format 0.0.4 and OpenMetrics 1.0.0, for
 * tests: it reads a scrape back into families and samples, and throws (naming the line)
 * on anything a Prometheus server would reject or that breaks the family structure.
 * No maintained parser is installed in this workspace; this one is written from the specs.
 */
import type { ExpositionFormat } from '../types.ts';

export interface ParsedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: ParsedSample[];
}

const SUFFIXES: Record<ExpositionFormat, Record<string, readonly string[]>> = {
  prometheus: {
    counter: [''],
    gauge: [''],
    histogram: ['_bucket', '_sum', '_count'],
    summary: ['', '_sum', '_count'],
    untyped: [''],
  },
  openmetrics: {
    counter: ['_total', '_created'],
    gauge: [''],
    histogram: ['_bucket', '_sum', '_count', '_created'],
    summary: ['', '_sum', '_count', '_created'],
    unknown: [''],
  },
};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parses a scrape; families keyed by name, in order. */
export function parseExposition(text: string, format: ExpositionFormat): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  const seen = new Set<string>();
  let current: ParsedFamily | undefined;
  let help: { name: string; text: string } | undefined;
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('the scrape must end with a line feed');
  let ended = false;
  for (const [index, line] of lines.entries()) {
    const fail = (message: string): never => {
      throw new Error(`line ${index + 1}: ${message}: ${JSON.stringify(line)}`);
    };
    if (ended) fail('text after # EOF');
    if (line === '') {
      if (format === 'openmetrics') fail('blank lines are not allowed in OpenMetrics');
      continue;
    }
    if (line === '# EOF') {
      if (format !== 'openmetrics') fail('# EOF outside OpenMetrics');
      ended = true;
      continue;
    }
    if (line.startsWith('# HELP ')) {
      const rest = line.slice(7);
      const name = NAME.exec(rest)?.[0] ?? fail('bad metric name');
      if (rest[name.length] !== ' ') fail('HELP needs a text');
      help = {
        name,
        text: unescapeText(
          rest.slice(name.length + 1),
          format === 'openmetrics' ? 'help-om' : 'help',
        ),
      };
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [name = '', type = '', ...extra] = line.slice(7).split(' ');
      if (extra.length > 0 || !NAME.test(name)) fail('malformed TYPE');
      if (SUFFIXES[format][type] === undefined) fail(`unknown type ${type}`);
      if (families.has(name)) fail(`family ${name} appears twice`);
      if (help === undefined || help.name !== name)
        fail('TYPE must follow the HELP of the same family');
      current = { name, type, help: help?.text ?? '', samples: [] };
      families.set(name, current);
      help = undefined;
      continue;
    }
    if (line.startsWith('#')) fail('unexpected comment');
    const sample = parseSample(line, fail);
    const family = current ?? fail('sample before any TYPE');
    const suffix = sample.name.startsWith(family.name)
      ? sample.name.slice(family.name.length)
      : undefined;
    if (suffix === undefined || !(SUFFIXES[format][family.type] ?? []).includes(suffix)) {
      fail(`sample ${sample.name} does not belong to ${family.type} family ${family.name}`);
    }
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) fail('the same series appears twice');
    seen.add(key);
    family.samples.push(sample);
  }
  if (format === 'openmetrics' && !ended) throw new Error('OpenMetrics must end with # EOF');
  for (const family of families.values()) checkFamily(family, format);
  return families;
}

function parseSample(line: string, fail: (message: string) => never): ParsedSample {
  const name = NAME.exec(line)?.[0] ?? fail('bad sample name');
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const label = LABEL_NAME.exec(rest)?.[0] ?? fail('bad label name');
      rest = rest.slice(label.length);
      if (!rest.startsWith('="')) fail('expected ="');
      rest = rest.slice(2);
      let raw = '';
      while (!rest.startsWith('"')) {
        if (rest === '') fail('unterminated label value');
        if (rest.startsWith('\\')) {
          raw += rest.slice(0, 2);
          rest = rest.slice(2);
        } else {
          raw += rest[0];
          rest = rest.slice(1);
        }
      }
      rest = rest.slice(1);
      if (Object.hasOwn(labels, label)) fail(`label ${label} repeated`);
      labels[label] = unescapeText(raw, 'label');
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) fail('expected , or }');
    }
    rest = rest.slice(1);
  }
  if (!rest.startsWith(' ')) fail('expected a space before the value');
  const [valueText = '', timestamp, ...extra] = rest.slice(1).split(' ');
  if (extra.length > 0 || (timestamp !== undefined && !/^-?\d+(\.\d+)?$/.test(timestamp))) {
    fail('unexpected text after the value');
  }
  return { name, labels, value: parseValue(valueText, fail) };
}

function parseValue(text: string, fail: (message: string) => never): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail(`bad value ${text}`);
  return Number(text);
}

function unescapeText(text: string, kind: 'label' | 'help' | 'help-om'): string {
  return text.replace(/\\(.)/g, (whole, character: string) => {
    if (character === '\\') return '\\';
    if (character === 'n') return '\n';
    if (character === '"' && kind !== 'help') return '"';
    if (kind === 'help') return whole;
    throw new Error(`bad escape ${whole}`);
  });
}

/** Histogram buckets must be cumulative, end at +Inf and agree with _count. */
function checkFamily(family: ParsedFamily, format: ExpositionFormat): void {
  if (family.type === 'counter' && format === 'openmetrics') {
    for (const sample of family.samples) {
      if (sample.name.endsWith('_total') && !(sample.value >= 0)) {
        throw new Error(`${family.name}: counter value ${sample.value} is negative`);
      }
    }
  }
  if (family.type !== 'histogram') return;
  const bySeries = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = bySeries.get(key) ?? { buckets: [] };
    bySeries.set(key, entry);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push([le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), sample.value]);
    } else if (sample.name.endsWith('_count')) {
      entry.count = sample.value;
    }
  }
  for (const [key, { buckets, count }] of bySeries) {
    const last = buckets[buckets.length - 1];
    if (last === undefined || last[0] !== Number.POSITIVE_INFINITY) {
      throw new Error(`${family.name}${key}: no +Inf bucket`);
    }
    if (last[1] !== count) throw new Error(`${family.name}${key}: +Inf bucket differs from _count`);
    buckets.forEach(([bound, value], index) => {
      const previous = buckets[index - 1];
      if (previous !== undefined && (bound <= previous[0] || value < previous[1])) {
        throw new Error(`${family.name}${key}: buckets are not cumulative and increasing`);
      }
    });
  }
}

/** The samples of one family whose name (with suffix) and labels include the given ones. */
export function samplesOf(
  families: Map<string, ParsedFamily>,
  family: string,
  sampleName: string = family,
  labels: Readonly<Record<string, string>> = {},
): ParsedSample[] {
  const samples = families.get(family)?.samples ?? [];
  return samples.filter(
    (sample) =>
      sample.name === sampleName &&
      Object.entries(labels).every(([name, value]) => sample.labels[name] === value),
  );
}

/** The value of the sample with exactly these labels; throws when there is none. */
export function sampleValue(
  families: Map<string, ParsedFamily>,
  family: string,
  sampleName: string = family,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = samplesOf(families, family, sampleName, labels).filter(
    (sample) => Object.keys(sample.labels).length === Object.keys(labels).length,
  );
  if (found.length !== 1) {
    throw new Error(`expected one ${sampleName}${JSON.stringify(labels)}, found ${found.length}`);
  }
  return (found[0] as ParsedSample).value;
}
