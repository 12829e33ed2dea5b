/**
 * A source of time in milliseconds: the one `Clock` of `@rampart/errors`, re-exported so
 * existing imports from `@rampart/logger` keep working.
 */
export type { Clock } from '@rampart/errors';
