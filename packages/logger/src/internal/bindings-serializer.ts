import pino, { type Logger as PinoLogger } from 'pino';
import type { Bindings, BindingsSerializer } from './context-storage.ts';
import type { Redactor } from './redaction/redactor.ts';

type Serializer = (value: unknown) => unknown;
type Stringifier = (value: unknown, stringifySafe?: unknown) => string | undefined;
type PinoInternals = Record<symbol, unknown>;

/** A context-bindings serializer that learns the logger's serializers once the logger exists. */
export interface AttachableBindingsSerializer extends BindingsSerializer {
  attach(logger: PinoLogger): void;
}

/**
 * Serializes context bindings exactly as pino serializes child bindings: the logger's
 * serializers, then redaction (sensitive keys, and pino redaction paths through the
 * logger's own stringifiers), then JSON that survives cycles and BigInts.
 */
export function createBindingsSerializer(redactor: Redactor): AttachableBindingsSerializer {
  let serializers: Readonly<Record<string, Serializer | undefined>> = {};
  let stringifiers: Readonly<Record<string | symbol, Stringifier | undefined>> = {};
  let stringify: Stringifier = (value) => JSON.stringify(value);
  let stringifySafe: unknown;

  return {
    attach(logger) {
      const internals = logger as unknown as PinoInternals;
      serializers = (internals[pino.symbols.serializersSym] ?? {}) as typeof serializers;
      stringifiers = (internals[pino.symbols.stringifiersSym] ?? {}) as typeof stringifiers;
      stringify = (internals[pino.symbols.stringifySym] ?? stringify) as Stringifier;
      stringifySafe = internals[pino.symbols.stringifySafeSym];
    },
    serialize(bindings: Bindings) {
      const wildcard = stringifiers[pino.symbols.wildcardFirstSym];
      let fragment = '';
      for (const key of Object.keys(bindings)) {
        let value = bindings[key];
        if (value === undefined) continue;
        let text: string | undefined;
        try {
          const serializer = serializers[key];
          if (serializer !== undefined) value = serializer(value);
          value = redactor.redactEntry(key, value);
          const stringifier = stringifiers[key] ?? wildcard ?? stringify;
          text = stringifier(value, stringifySafe);
        } catch {
          text = '"[Unserializable]"';
        }
        if (text !== undefined) fragment += `,${JSON.stringify(key)}:${text}`;
      }
      return fragment;
    },
  };
}
