import { AsyncLocalStorage } from 'node:async_hooks';

/** Bindings of a log context: field name to value. */
export type Bindings = Readonly<Record<string, unknown>>;

/** Turns bindings into the `,"key":value` JSON fragment one logger writes for them. */
export interface BindingsSerializer {
  serialize(bindings: Bindings): string;
}

/**
 * One `withLogContext` scope. Its bindings are serialized once per logger configuration, on
 * the first line written inside it, and the JSON fragment is reused for every later line:
 * an active context costs a string concatenation per line, not a serialization.
 */
export interface ContextFrame {
  readonly bindings: Bindings;
  /** The serializer whose fragment sits in the fast slot. */
  owner: BindingsSerializer | undefined;
  fragment: string;
  /** Fragments of further logger configurations (rare: most services have one). */
  others: WeakMap<BindingsSerializer, string> | undefined;
}

const STORAGE_KEY: unique symbol = Symbol.for('rampart.logger.context');
type GlobalWithStorage = typeof globalThis & {
  [STORAGE_KEY]?: AsyncLocalStorage<ContextFrame>;
};

/**
 * The one context store, shared through a global symbol so that two installed copies of
 * this package still see each other's contexts.
 */
function sharedStorage(): AsyncLocalStorage<ContextFrame> {
  const scope = globalThis as GlobalWithStorage;
  let storage = scope[STORAGE_KEY];
  if (storage === undefined) {
    storage = new AsyncLocalStorage<ContextFrame>();
    Object.defineProperty(scope, STORAGE_KEY, { value: storage });
  }
  return storage;
}

export const contextStorage: AsyncLocalStorage<ContextFrame> = sharedStorage();

export function createFrame(bindings: Bindings): ContextFrame {
  return { bindings, owner: undefined, fragment: '', others: undefined };
}

/** The frame's JSON fragment for one logger configuration, serialized at most once. */
export function fragmentOf(frame: ContextFrame, serializer: BindingsSerializer): string {
  if (frame.owner === serializer) return frame.fragment;
  if (frame.owner === undefined) {
    frame.fragment = serializer.serialize(frame.bindings);
    frame.owner = serializer;
    return frame.fragment;
  }
  frame.others ??= new WeakMap();
  let fragment = frame.others.get(serializer);
  if (fragment === undefined) {
    fragment = serializer.serialize(frame.bindings);
    frame.others.set(serializer, fragment);
  }
  return fragment;
}
