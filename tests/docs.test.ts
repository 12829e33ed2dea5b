import { describe, expect, it } from 'vitest';
import {
  currentErrorCodesTable,
  renderErrorCodesTable,
  unpadTable,
} from '../scripts/error-codes-table.ts';

describe('docs/errors.md', () => {
  it('lists exactly the codes of errorRegistry (run `pnpm run docs` when this fails)', () => {
    expect(unpadTable(currentErrorCodesTable())).toBe(unpadTable(renderErrorCodesTable()));
  });
});
