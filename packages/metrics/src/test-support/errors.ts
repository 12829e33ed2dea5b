import { ConfigurationError, ValidationError } from '@rampart/errors';

/** Runs `run` and returns the ConfigurationError it throws; fails otherwise. */
export function configurationErrorOf(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

/** Runs `run` and returns the ValidationError it throws; fails otherwise. */
export function validationErrorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}
