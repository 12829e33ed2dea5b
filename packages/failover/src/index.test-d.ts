import { describe, expectTypeOf, it } from 'vitest';
import {
  classifyFailoverError,
  createFailover,
  type Failover,
  type FailoverDecision,
  type FailoverState,
  type ProviderCallContext,
} from './index.ts';

describe('types', () => {
  it('infers input and output from the providers', () => {
    const failover = createFailover({
      name: 'typed',
      providers: [
        {
          name: 'a',
          call: async (prompt: string, context) => {
            expectTypeOf(context).toEqualTypeOf<ProviderCallContext>();
            return { text: prompt, tokens: 1 };
          },
        },
      ],
    });
    expectTypeOf(failover).toEqualTypeOf<Failover<string, { text: string; tokens: number }>>();
    expectTypeOf(failover.execute('x')).toEqualTypeOf<Promise<{ text: string; tokens: number }>>();
    expectTypeOf(failover.state()).toEqualTypeOf<FailoverState>();
  });

  it('types the last resort and the classifier', () => {
    createFailover({
      name: 'typed',
      providers: [{ name: 'a', call: (id: number) => `item ${id}` }],
      lastResort: ({ input, reason }) => {
        expectTypeOf(input).toEqualTypeOf<number>();
        return `stale ${input} (${reason})`;
      },
      classify: (error) => classifyFailoverError(error),
    });
    expectTypeOf(classifyFailoverError).returns.toEqualTypeOf<FailoverDecision>();
  });

  it('rejects a last resort of another type', () => {
    createFailover({
      name: 'typed',
      providers: [{ name: 'a', call: (id: number) => `item ${id}` }],
      // @ts-expect-error a number is not the providers' string output
      lastResort: () => 42,
    });
  });
});
