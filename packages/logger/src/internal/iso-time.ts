/**
 * The `,"time":"…"` fragment pino inserts after the level, as an ISO 8601 UTC timestamp.
 * `Date#toISOString` costs several hundred nanoseconds; most log lines share their second
 * (and often their millisecond) with the previous line, so both are cached and only the
 * milliseconds are formatted per line.
 */
let cachedMilliseconds = Number.NaN;
let cachedFragment = '';
let cachedSecond = Number.NaN;
let cachedSecondPrefix = '';

/** 10000-01-01T00:00:00Z: from here on ISO strings get a six-digit, signed year. */
const FOUR_DIGIT_YEAR_LIMIT_MS = 253_402_300_800_000;

/** The `,"time":"2026-01-31T12:00:00.000Z"` fragment for an epoch time in milliseconds. */
export function isoTimeFragment(epochMilliseconds: number): string {
  if (epochMilliseconds === cachedMilliseconds) return cachedFragment;
  const milliseconds = Number.isFinite(epochMilliseconds)
    ? Math.floor(epochMilliseconds)
    : Date.now();
  if (milliseconds < 0 || milliseconds >= FOUR_DIGIT_YEAR_LIMIT_MS) {
    return `,"time":"${new Date(milliseconds).toISOString()}"`;
  }
  const second = Math.floor(milliseconds / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    // "2026-01-31T12:00:00." — everything up to the milliseconds.
    cachedSecondPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const fraction = milliseconds - second * 1000;
  const digits = fraction < 10 ? `00${fraction}` : fraction < 100 ? `0${fraction}` : `${fraction}`;
  cachedMilliseconds = epochMilliseconds;
  cachedFragment = `${cachedSecondPrefix}${digits}Z"`;
  return cachedFragment;
}
