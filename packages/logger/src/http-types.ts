import type { IncomingHttpHeaders } from 'node:http';

/**
 * The parts of a request this package reads. `node:http`'s `IncomingMessage`, Express's and
 * Connect's requests all fit.
 */
export interface HttpRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** Express: the URL before mounting stripped a prefix. */
  readonly originalUrl?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly socket?: { readonly remoteAddress?: string | undefined } | undefined;
  /** Express: the client address, honouring its `trust proxy` setting. */
  readonly ip?: string | undefined;
  /** Express: the matched route, set once routing found it. */
  readonly route?: { readonly path?: unknown } | undefined;
  /** Express: the mount path of the router that matched. */
  readonly baseUrl?: string | undefined;
}

/**
 * The parts of a response this package uses. `node:http`'s `ServerResponse`, Express's and
 * Connect's responses all fit.
 */
export interface HttpResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}
