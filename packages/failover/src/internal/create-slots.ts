import { type CircuitBreakerPolicy, createCircuitBreaker } from '@rampart/circuit-breaker';
import { ConfigurationError, isRampartError, type ValidationIssue } from '@rampart/errors';
import type { Clock, FailoverProvider } from '../options.ts';
import { type AttemptTicket, type ProviderBreaker, ProviderSlot } from './provider-slot.ts';

/** Restates the breaker's configuration error with paths of `createFailover`'s options. */
function restate(
  error: unknown,
  index: number,
  own: CircuitBreakerPolicy | undefined,
): ConfigurationError {
  if (!isRampartError(error, 'E_CONFIG')) {
    return new ConfigurationError('createFailover: a breaker could not be created', {
      cause: error,
    });
  }
  const original = (error as ConfigurationError).issues;
  const issues: ValidationIssue[] = original.map((issue) => {
    const field = issue.path.split(/[.[]/)[0] ?? '';
    const inProvider = own !== undefined && Object.hasOwn(own, field);
    const prefix = inProvider ? `providers[${index}].breaker` : 'breaker';
    return { ...issue, path: issue.path === '' ? prefix : `${prefix}.${issue.path}` };
  });
  const parts = issues.map((issue) => `\`${issue.path}\` ${issue.message}`);
  return new ConfigurationError(`createFailover: ${parts.join('; ')}`, { issues });
}

/**
 * Creates one circuit breaker per provider, named `<failover>/<provider>`, from the failover's
 * breaker options and the provider's own, using the failover's clock unless one is given.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming the bad breaker option by its path in the failover's.
 */
export function createSlots<Input, Output>(
  name: string,
  providers: readonly FailoverProvider<Input, Output>[],
  defaults: CircuitBreakerPolicy | undefined,
  clock: Clock | undefined,
): ProviderSlot<Input, Output>[] {
  const slots: ProviderSlot<Input, Output>[] = [];
  try {
    providers.forEach((provider, index) => {
      const policy: CircuitBreakerPolicy = {
        ...(clock === undefined ? {} : { clock }),
        ...defaults,
        ...provider.breaker,
      };
      let breaker: ProviderBreaker<Input, Output>;
      try {
        breaker = createCircuitBreaker(
          (input: Input, ticket: AttemptTicket, signal: AbortSignal) => {
            ticket.called = true;
            return provider.call(input, { signal, attempt: ticket.attempt });
          },
          { ...policy, name: `${name}/${provider.name}` },
        );
      } catch (error) {
        throw restate(error, index, provider.breaker);
      }
      slots.push(new ProviderSlot(provider, index, breaker));
    });
  } catch (error) {
    for (const slot of slots) void slot.breaker.dispose();
    throw error;
  }
  return slots;
}
