/**
 * `node scripts/diagrams.ts`: writes the guides' diagrams to docs/images/. A test checks the
 * committed files are what this script writes.
 */
import { writeFileSync } from 'node:fs';
import { diagrams } from './diagrams/catalogue.ts';

for (const [name, draw] of Object.entries(diagrams)) {
  writeFileSync(new URL(`../docs/images/${name}.svg`, import.meta.url), draw());
  console.log(`docs/images/${name}.svg`);
}
