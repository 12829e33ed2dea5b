import { errorSerializerWith } from '../error-serializer.ts';
import { requestSerializer, responseSerializer } from './http-serializers.ts';
import type { Redactor } from './redactor.ts';

type Serializer = (value: unknown) => unknown;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Error)
  );
}

/**
 * The serializers a logger uses: errors under `err` and `error`, requests under `req`,
 * responses under `res`, then the user's (which win). A user serializer's output is
 * redacted like a log line, because serializers run after the line's own redaction.
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
      const output = serializer(value);
      return isPlainRecord(output) ? redactor.redactObject(output) : output;
    };
  }
  return serializers;
}
