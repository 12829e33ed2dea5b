/** A pretend database with two products; it counts its queries. */
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError } from '@rampart/errors';

/** A row of the pretend database. */
export interface Product {
  readonly id: string;
  readonly title: string;
  readonly priceCents: number;
}

const rows = new Map<string, Product>([
  ['1', { id: '1', title: 'Kettle', priceCents: 2_999 }],
  ['2', { id: '2', title: 'Teapot', priceCents: 1_999 }],
]);

/** Queries made so far. */
export const queries = { count: 0 };

/** Finds a product, or rejects with a `NotFoundError` (a 404 for clients). */
export async function findProduct(id: string, signal: AbortSignal): Promise<Product> {
  queries.count += 1;
  await sleep(10, undefined, { signal });
  const row = rows.get(id);
  if (row === undefined) throw new NotFoundError(`No product ${id}`, { details: { id } });
  return row;
}
