import { errorSerializerWith } from '../error-serializer.ts';
import { requestSerializer, responseSerializer } from './http-serializers.ts';
import type { Redactor } from './redaction/redactor.ts';

type Serializer = (value: unknown) => unknown;

/** The fields the built-in serializers write. */
export const BUILT_IN_SERIALIZED_KEYS: readonly string[] = ['err', 'error', 'req', 'res'];

/**
 * The serializers a logger uses: errors under `err` and `error`, requests under `req`,
 * responses under `res`, then the user's (which win). A user serializer's output is
 * redacted at every depth, because serializers run after the line's own redaction.
 */
export function buildSerializers(
  redactor: Redactor,
  user: Readonly<Record<string, Serializer>> | undefined,
): Record<string, Serializer> {
  const errors = errorSerializerWith(redactor);
  const serializers: Record<string, Serializer> = {
    err: errors,
    error: errors,
    req: requestSerializer,
    res: responseSerializer,
  };
  for (const [key, serializer] of Object.entries(user ?? {})) {
    serializers[key] = (value) => {
      return redactor.redactDeep(serializer(value));
    };
  }
  return serializers;
}
