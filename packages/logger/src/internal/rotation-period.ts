/** How often a rotating file starts a new file regardless of its size. */
export type RotationFrequency = 'daily' | 'hourly' | number;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function periodMs(frequency: RotationFrequency): number {
  if (frequency === 'daily') return DAY_MS;
  if (frequency === 'hourly') return HOUR_MS;
  return frequency;
}

/** Start of the period containing `nowMs`: UTC midnight, the hour, or a multiple of the period. */
export function periodStart(frequency: RotationFrequency, nowMs: number): number {
  const length = periodMs(frequency);
  return Math.floor(nowMs / length) * length;
}

/** When the period containing `nowMs` ends. */
export function nextPeriodStart(frequency: RotationFrequency, nowMs: number): number {
  return periodStart(frequency, nowMs) + periodMs(frequency);
}
