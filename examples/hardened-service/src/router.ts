import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler gets for one request. */
export interface RequestContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The request path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The values of the route template's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** The client's address (see `createClientAddressResolver`). */
  readonly clientAddress: string;
  /**
   * Aborts when the request's deadline passes (a `TimeoutError`), the client goes away, or a
   * shutdown runs out of time. Pass it to everything the handler waits for.
   */
  readonly signal: AbortSignal;
}

/** A route: a method, a path template such as `/api/products/:id`, and its handler. */
export interface Route {
  readonly method: string;
  readonly template: string;
  /** Whether requests are charged to the client's rate limit. */
  readonly limited: boolean;
  /** Whether a line is logged per request (health checks and scrapes are not). */
  readonly logged: boolean;
  readonly handle: (context: RequestContext) => void | Promise<void>;
}

/** The outcome of matching a request against the routes. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(
  template: readonly string[],
  path: readonly string[],
): Record<string, string> | undefined {
  if (template.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < template.length; index++) {
    const expected = template[index] ?? '';
    const actual = path[index] ?? '';
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) return undefined;
  }
  return params;
}

/**
 * A tiny router: exact segments and `:name` parameters, `405` with the allowed methods when
 * only the method is wrong, and `HEAD` answered by `GET` routes.
 */
export function createRouter(
  routes: readonly Route[],
): (method: string, path: string) => RouteMatch {
  const compiled: CompiledRoute[] = routes.map((route) => ({
    route,
    segments: split(route.template),
  }));
  return (method, path) => {
    const segments = split(path);
    const allowed = new Set<string>();
    for (const { route, segments: template } of compiled) {
      const params = matchSegments(template, segments);
      if (params === undefined) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { kind: 'found', route, params };
      }
      allowed.add(route.method);
      if (route.method === 'GET') allowed.add('HEAD');
    }
    return allowed.size > 0
      ? { kind: 'method-not-allowed', allowed: [...allowed].sort() }
      : { kind: 'not-found' };
  };
}

/**
 * Remembers which route each request matched, for the metrics' `http_route` label (the
 * template, never the raw path) and for the request logger's `ignore`.
 */
export interface RouteRecorder {
  record(request: IncomingMessage, match: RouteMatch): void;
  /** The matched template, `undefined` when none matched. */
  routeOf(request: object): string | undefined;
  /** Whether the request gets a log line: unmatched requests always do. */
  isLogged(request: object): boolean;
}

/** Creates a {@link RouteRecorder}; it holds requests weakly. */
export function createRouteRecorder(): RouteRecorder {
  const routes = new WeakMap<object, Route>();
  return {
    record(request, match) {
      if (match.kind === 'found') routes.set(request, match.route);
    },
    routeOf: (request) => routes.get(request)?.template,
    isLogged: (request) => routes.get(request)?.logged ?? true,
  };
}
