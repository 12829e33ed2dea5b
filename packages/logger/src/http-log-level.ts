import { isRampartError } from '@rampart/errors';
import type { HttpRequestLike } from './http-types.ts';
import { isLogLevel, LEVEL_VALUES, type LogLevel } from './levels.ts';

/** What {@link httpRequestLogger}'s `level` function is told about a finished request. */
export interface HttpRequestOutcome {
  /** The response status (on an aborted request, whatever was set when it was aborted). */
  readonly statusCode: number;
  readonly durationMs: number;
  /** Slower than `slowMs`. */
  readonly slow: boolean;
  /** The connection closed before the response finished. */
  readonly aborted: boolean;
  readonly request: HttpRequestLike;
  /** Whether an error was attached with {@link setRequestError}, and which. */
  readonly failure?: { readonly error: unknown } | undefined;
}

/**
 * Levels of request lines by status: an exact status (`'404'`) or a class (`'4xx'`), the exact
 * one winning; statuses not listed keep the default level. `'silent'` writes no line.
 */
export type HttpStatusLevels = Readonly<
  Partial<Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx' | `${number}`, LogLevel>>
>;

/** Chooses a request line's level: a function of the outcome or levels by status. */
export type HttpRequestLevel = HttpStatusLevels | ((outcome: HttpRequestOutcome) => LogLevel);

/**
 * The level of a request line unless `level` says otherwise: with an error attached, `error`
 * for a foreign one, else `warn` for 5xx and `info` for 4xx; without, 5xx `error` and 4xx
 * `warn`; slow or aborted requests at least `warn`; else `info`.
 */
export function defaultLevelOf(outcome: HttpRequestOutcome): LogLevel {
  const { failure } = outcome;
  if (failure !== undefined) {
    if (!isRampartError(failure.error)) return 'error';
    if (outcome.statusCode >= 500 || outcome.slow || outcome.aborted) return 'warn';
    return 'info';
  }
  if (outcome.statusCode >= 500) return 'error';
  if (outcome.statusCode >= 400 || outcome.slow || outcome.aborted) return 'warn';
  return 'info';
}

/** Keys accepted in {@link HttpStatusLevels}. */
export const STATUS_LEVEL_KEY: RegExp = /^[1-5](?:\d\d|xx)$/;

/** Makes the level chooser for the `level` option; a throwing or invalid function answer keeps the default. */
export function levelChooser(
  level: HttpRequestLevel | undefined,
): (outcome: HttpRequestOutcome) => LogLevel {
  if (level === undefined) return defaultLevelOf;
  if (typeof level === 'function') {
    return (outcome) => {
      try {
        const chosen = level(outcome);
        return isLogLevel(chosen) ? chosen : defaultLevelOf(outcome);
      } catch {
        return defaultLevelOf(outcome); // a broken chooser must not lose the line
      }
    };
  }
  const levels = level as Readonly<Record<string, LogLevel | undefined>>;
  return (outcome) => {
    const status = outcome.statusCode;
    const chosen = levels[String(status)] ?? levels[`${Math.trunc(status / 100)}xx`];
    if (chosen === undefined) return defaultLevelOf(outcome);
    // Slow and aborted requests stay visible at warn, unless their status is silenced.
    if ((outcome.slow || outcome.aborted) && chosen !== 'silent') {
      return LEVEL_VALUES[chosen] < LEVEL_VALUES.warn ? 'warn' : chosen;
    }
    return chosen;
  };
}

/** Whether `path` is one of `paths`: exact, or under a prefix written as `/internal/*`. */
export function pathMatcher(paths: readonly string[]): (path: string) => boolean {
  const exact = new Set(paths.filter((path) => !path.endsWith('/*')));
  const prefixes = paths.filter((path) => path.endsWith('/*')).map((path) => path.slice(0, -1));
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}
