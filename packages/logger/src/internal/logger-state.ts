import type { Logger as PinoLogger } from 'pino';
import type { CloseLoggerResult } from '../close-logger.ts';
import type { ManagedDestination } from './open-destinations.ts';

/** Everything a root logger made by `createLogger` owns; its children reach it through the prototype chain. */
export interface LoggerState {
  readonly name: string;
  readonly root: PinoLogger;
  readonly destinations: readonly ManagedDestination[];
  closing: Promise<CloseLoggerResult> | undefined;
  /** Run when closing starts, before the destinations stop taking lines (`logEvents` disposers). */
  readonly closeHooks: Set<() => void>;
}

const STATE: unique symbol = Symbol('rampart.logger.state');
const CHILDREN: unique symbol = Symbol('rampart.logger.children');

interface ChildList {
  refs: WeakRef<PinoLogger>[];
  /** Length at which dead references are swept out next. */
  sweepAt: number;
}

type WithInternals = PinoLogger & {
  [STATE]?: LoggerState;
  [CHILDREN]?: ChildList;
};

export function attachState(root: PinoLogger, state: LoggerState): void {
  Object.defineProperty(root, STATE, { value: state });
}

/** The state of the root a logger descends from (pino children inherit from their parent). */
export function stateOf(logger: PinoLogger): LoggerState | undefined {
  return (logger as WithInternals)[STATE];
}

/** The `name` used in events: the root logger's name, `default` when it has none. */
export function loggerNameOf(logger: PinoLogger): string {
  return stateOf(logger)?.name ?? 'default';
}

const MIN_SWEEP = 64;

/**
 * pino's `onChild` hook: remembers each child weakly on its parent, so a level change can
 * reach it later without keeping short-lived per-request children alive. Dead references
 * are swept when the list doubles, keeping it proportional to the live children.
 */
export function trackChild(child: PinoLogger): void {
  const parent = Object.getPrototypeOf(child) as WithInternals | null;
  if (parent === null) return;
  let list = Object.hasOwn(parent, CHILDREN) ? parent[CHILDREN] : undefined;
  if (list === undefined) {
    list = { refs: [], sweepAt: MIN_SWEEP };
    Object.defineProperty(parent, CHILDREN, { value: list });
  }
  list.refs.push(new WeakRef(child));
  if (list.refs.length >= list.sweepAt) {
    list.refs = list.refs.filter((ref) => ref.deref() !== undefined);
    list.sweepAt = Math.max(MIN_SWEEP, list.refs.length * 2);
  }
}

/** The live children created directly from a logger. */
export function childrenOf(logger: PinoLogger): PinoLogger[] {
  const target = logger as WithInternals;
  const list = Object.hasOwn(target, CHILDREN) ? target[CHILDREN] : undefined;
  if (list === undefined) return [];
  const children: PinoLogger[] = [];
  for (const ref of list.refs) {
    const child = ref.deref();
    if (child !== undefined) children.push(child);
  }
  return children;
}
