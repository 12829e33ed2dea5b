/**
 * Formats a ratio for humans: `ratio(1.234)` is `"1.23×"`.
 * Two decimals in the usual range, whole numbers from 100 up, two significant digits
 * below 0.01, and `"n/a"` for a value that is not a number.
 *
 * @example
 * ```ts
 * ratio(2.3149); // "2.31×"
 * ratio(0.5);    // "0.50×"
 * ```
 */
export function ratio(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞×' : '-∞×';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return `${groupThousands(Math.round(value))}×`;
  if (magnitude !== 0 && magnitude < 0.01) return `${value.toPrecision(2)}×`;
  return `${value.toFixed(2)}×`;
}

/**
 * Formats a duration in nanoseconds per operation: three significant digits below 100,
 * whole numbers with thousands separators from 100 up (`"12.3"`, `"1,234"`).
 */
export function formatNanoseconds(nanoseconds: number): string {
  if (!Number.isFinite(nanoseconds)) return 'n/a';
  if (Math.abs(nanoseconds) >= 100) return groupThousands(Math.round(nanoseconds));
  return nanoseconds.toPrecision(3);
}

/** Formats a fraction as a percentage with one decimal: `formatPercent(0.0123)` is `"1.2%"`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * Formats a number for a table cell: integers with thousands separators, other numbers
 * with at most three decimals (`1234567` → `"1,234,567"`, `0.12345` → `"0.123"`).
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return groupThousands(value);
  const [whole = '0', fraction] = value
    .toFixed(3)
    .replace(/\.?0+$/, '')
    .split('.');
  const grouped = groupThousands(Number(whole));
  const sign = value < 0 && grouped === '0' ? '-' : '';
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

function groupThousands(integer: number): string {
  const digits = Math.abs(integer).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return integer < 0 ? `-${grouped}` : grouped;
}
