import { fromZodError, ValidationError } from '@rampart/errors';
import * as z from 'zod';
import { readJsonBody } from './body.ts';
import type { CacheStatus, Catalog } from './catalog.ts';
import { sendJson } from './respond.ts';
import type { Route } from './router.ts';

const PRODUCT_ID = /^[\w-]{1,40}$/;

const quoteRequest = z.strictObject({
  productId: z.string({ error: 'must be a product id' }).regex(PRODUCT_ID, {
    error: 'must be a product id (letters, digits, - or _)',
  }),
  quantity: z
    .int({ error: 'must be an integer from 1 to 1000' })
    .min(1, { error: 'must be an integer from 1 to 1000' })
    .max(1_000, { error: 'must be an integer from 1 to 1000' }),
});

/** `X-Cache` and the copy's `Age` in seconds (RFC 9111). */
function cacheHeaders(cache: CacheStatus, ageMs: number): Record<string, string> {
  return { 'x-cache': cache, age: String(Math.floor(ageMs / 1000)) };
}

/**
 * The public API: `GET /api/products/:id` (a product through the cache, `X-Cache: hit | miss
 * | stale`) and `POST /api/quotes` (`{ productId, quantity }` → a price quote, validated, the
 * product read through the same cache). Both are rate limited per client.
 */
export function apiRoutes(catalog: Catalog, maxBodyBytes: number): Route[] {
  return [
    {
      method: 'GET',
      template: '/api/products/:id',
      limited: true,
      logged: true,
      handle: async ({ response, params, signal }) => {
        const id = params.id ?? '';
        if (!PRODUCT_ID.test(id)) {
          throw new ValidationError('Invalid product id', {
            issues: [
              { path: 'id', message: 'must be letters, digits, - or _', code: 'invalid_format' },
            ],
          });
        }
        const { product, cache, ageMs } = await catalog.product(id, signal);
        sendJson(response, 200, product, cacheHeaders(cache, ageMs));
      },
    },
    {
      method: 'POST',
      template: '/api/quotes',
      limited: true,
      logged: true,
      handle: async ({ request, response, signal }) => {
        const body = await readJsonBody(request, response, maxBodyBytes, signal);
        const parsed = quoteRequest.safeParse(body);
        if (!parsed.success) {
          throw fromZodError(parsed.error, { input: body, where: 'Invalid quote request' });
        }
        const { productId, quantity } = parsed.data;
        const { product, cache, ageMs } = await catalog.product(productId, signal);
        sendJson(
          response,
          200,
          {
            productId,
            quantity,
            unitPriceCents: product.priceCents,
            totalCents: product.priceCents * quantity,
            currency: product.currency,
            priceAsOf: product.fetchedAt,
          },
          cacheHeaders(cache, ageMs),
        );
      },
    },
  ];
}
