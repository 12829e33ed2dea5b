import type { TrustProxy } from '@rampart/errors';
import type { HttpRequestLike } from '../http-types.ts';
import { clientAddressOf, pathOf, pickHeaders, routeOf } from './http-facts.ts';

/** Request headers written by default: useful for debugging, never credentials. */
export const DEFAULT_LOGGED_HEADERS: readonly string[] = Object.freeze([
  'host',
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  'referer',
  'x-request-id',
  'x-forwarded-for',
  'traceparent',
]);

const DEFAULT_HEADER_SET: ReadonlySet<string> = new Set(DEFAULT_LOGGED_HEADERS);
const RESPONSE_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-length']);

/** Marks objects this package already serialized, so the `req` serializer passes them through. */
export const SERIALIZED: unique symbol = Symbol('rampart.logger.serialized');

/** A request as log lines hold it. */
export interface SerializedRequest {
  readonly method: string;
  readonly path: string;
  readonly route?: string;
  readonly ip?: string;
  readonly headers: Record<string, string | string[]>;
  readonly [SERIALIZED]: true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isSerialized(value: object): boolean {
  return (value as { [SERIALIZED]?: unknown })[SERIALIZED] === true;
}

export function serializeRequest(
  request: HttpRequestLike,
  allowedHeaders: ReadonlySet<string>,
  trustProxy: TrustProxy | undefined,
): SerializedRequest {
  const route = routeOf(request);
  const ip = clientAddressOf(request, trustProxy);
  return {
    method: typeof request.method === 'string' ? request.method : 'GET',
    path: pathOf(request.originalUrl ?? request.url),
    ...(route === undefined ? {} : { route }),
    ...(ip === undefined ? {} : { ip }),
    headers: pickHeaders(request.headers, allowedHeaders),
    [SERIALIZED]: true,
  };
}

/**
 * The `req` serializer: method, path (no query string), route, client address and an
 * allow-list of headers. It accepts a raw `IncomingMessage`, an Express request or pino's
 * own request mapping, and never writes a header outside the list.
 */
export function requestSerializer(value: unknown): unknown {
  if (!isObject(value) || isSerialized(value)) return value;
  const url = typeof value.url === 'string' ? value.url : undefined;
  const originalUrl = typeof value.originalUrl === 'string' ? value.originalUrl : undefined;
  const remoteAddress = typeof value.remoteAddress === 'string' ? value.remoteAddress : undefined;
  const socket = isObject(value.socket) ? (value.socket as HttpRequestLike['socket']) : undefined;
  return serializeRequest(
    {
      method: typeof value.method === 'string' ? value.method : undefined,
      url,
      originalUrl,
      headers: isObject(value.headers) ? (value.headers as HttpRequestLike['headers']) : {},
      socket: socket ?? (remoteAddress === undefined ? undefined : { remoteAddress }),
      ip: typeof value.ip === 'string' ? value.ip : undefined,
      route: isObject(value.route) ? (value.route as HttpRequestLike['route']) : undefined,
      baseUrl: typeof value.baseUrl === 'string' ? value.baseUrl : undefined,
    },
    DEFAULT_HEADER_SET,
    undefined,
  );
}

/** The `res` serializer: the status code and the content type and length, nothing else. */
export function responseSerializer(value: unknown): unknown {
  if (!isObject(value) || isSerialized(value)) return value;
  const getHeaders = value.getHeaders;
  const headers =
    typeof getHeaders === 'function'
      ? (getHeaders.call(value) as unknown)
      : isObject(value.headers)
        ? value.headers
        : undefined;
  const statusCode = typeof value.statusCode === 'number' ? value.statusCode : undefined;
  return {
    ...(statusCode === undefined ? {} : { statusCode }),
    headers: pickHeaders(headers, RESPONSE_HEADERS),
    [SERIALIZED]: true,
  };
}
