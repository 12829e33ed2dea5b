import type * as z from 'zod';
import type { ValidationIssue } from '../built-in-errors.ts';
import { describeValue } from '../describe-value.ts';
import { formatPath, readPath } from './format-path.ts';

type ZodIssue = z.core.$ZodIssue;

/** Unknown keys named one by one; the rest are counted. */
const MAX_LISTED_KEYS = 5;
/** Issues spelled out in a summary line; the rest are counted. */
export const MAX_SUMMARIZED_ISSUES = 10;

/**
 * Turns zod issues into {@link ValidationIssue}s whose messages say what was expected and
 * what was received: `must be a positive integer (got -5)`. `parsed` holds the value that
 * was parsed, used to show what was received; an issue's own `input` wins when zod
 * reported it. Without either, the message says only what was expected.
 */
export function toValidationIssues(
  issues: readonly ZodIssue[],
  parsed?: { readonly value: unknown },
): ValidationIssue[] {
  const result: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys.slice(0, MAX_LISTED_KEYS)) {
        result.push({
          path: formatPath([...issue.path, key]),
          message: 'is not a known option',
          code: issue.code,
        });
      }
      const more = issue.keys.length - MAX_LISTED_KEYS;
      if (more > 0) {
        result.push({
          path: formatPath(issue.path),
          message: `has ${more} more unknown ${more === 1 ? 'option' : 'options'}`,
          code: issue.code,
        });
      }
      continue;
    }
    const known = 'input' in issue || parsed !== undefined;
    const received = 'input' in issue ? issue.input : readPath(parsed?.value, issue.path);
    const expectation = expectationOf(issue, received, known);
    const showReceived = known && expectation !== 'is required';
    result.push({
      path: formatPath(issue.path),
      message: showReceived ? `${expectation} (got ${describeValue(received)})` : expectation,
      code: issue.code,
    });
  }
  return result;
}

/**
 * Joins issues into one line: ``where: `a` must …; `b` must …``, at most
 * {@link MAX_SUMMARIZED_ISSUES} of them, then "and N more problems".
 */
export function summarizeIssues(where: string, issues: readonly ValidationIssue[]): string {
  const parts = issues
    .slice(0, MAX_SUMMARIZED_ISSUES)
    .map((issue) => `${issue.path === '' ? 'the input' : `\`${issue.path}\``} ${issue.message}`);
  const more = issues.length - MAX_SUMMARIZED_ISSUES;
  if (more > 0) parts.push(`and ${more} more ${more === 1 ? 'problem' : 'problems'}`);
  return `${where}: ${parts.join('; ')}`;
}

function expectationOf(issue: ZodIssue, received: unknown, known = true): string {
  // A missing member: the option atoms are custom checks, zod's own are type checks.
  const typeCheck = issue.code === 'invalid_type' || issue.code === 'custom';
  if (typeCheck && known && received === undefined) return 'is required';
  if (/^(must|is|has) /.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${typeName(issue.expected)}`;
    case 'too_small':
      return bound(issue.origin, 'small', issue.minimum, issue.inclusive ?? true, issue.exact);
    case 'too_big':
      return bound(issue.origin, 'big', issue.maximum, issue.inclusive ?? true, issue.exact);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${describeValue(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => describeValue(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined
        ? `must match ${issue.pattern}`
        : `must be a valid ${issue.format.replaceAll('_', ' ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return unionExpectation(issue.errors, received, known);
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_element':
      return 'has an invalid element';
    default:
      return issue.message;
  }
}

const typeNames: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a finite number',
  array: 'an array',
  object: 'an object',
  undefined: 'undefined',
  null: 'null',
  nan: 'NaN',
  date: 'a valid Date',
};

function typeName(expected: string): string {
  return typeNames[expected] ?? `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}

function bound(
  origin: string,
  side: 'small' | 'big',
  limit: number | bigint,
  inclusive: boolean,
  exact: boolean | undefined,
): string {
  const amount = String(limit);
  if (origin === 'string' || origin === 'array' || origin === 'set' || origin === 'file') {
    const unit = origin === 'string' ? 'characters' : origin === 'file' ? 'bytes' : 'items';
    if (exact === true) return `must have exactly ${amount} ${unit}`;
    if (side === 'small' && Number(limit) === 1 && inclusive) return 'must not be empty';
    return `must have at ${side === 'small' ? 'least' : 'most'} ${amount} ${unit}`;
  }
  if (side === 'small') {
    return inclusive ? `must be at least ${amount}` : `must be greater than ${amount}`;
  }
  return inclusive ? `must be at most ${amount}` : `must be less than ${amount}`;
}

function unionExpectation(
  branches: readonly (readonly ZodIssue[])[],
  received: unknown,
  known: boolean,
): string {
  const alternatives = new Set<string>();
  for (const branch of branches) {
    const first = branch.find((issue) => issue.path.length === 0) ?? branch[0];
    if (first !== undefined) alternatives.add(expectationOf(first, received, known));
  }
  const phrases = [...alternatives];
  if (phrases.length === 0) return 'does not match any allowed shape';
  if (phrases.every((phrase) => phrase.startsWith('must be '))) {
    return `must be ${phrases.map((phrase) => phrase.slice('must be '.length)).join(' or ')}`;
  }
  return phrases.join(', or ');
}
