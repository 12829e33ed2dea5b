/**
 * `pnpm check:packages`: runs `publint --strict` and `attw` (ESM-only profile) on every
 * published package. Needs a prior `pnpm build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const failures: string[] = [];

for (const name of readdirSync('packages')) {
  const directory = join('packages', name);
  const manifestPath = join(directory, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name: string;
    private?: boolean;
  };
  if (manifest.private === true) continue;
  if (!existsSync(join(directory, 'dist'))) {
    failures.push(`${manifest.name}: no dist/ (run pnpm build first)`);
    continue;
  }
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ] as const) {
    const result = spawnSync(bin(tool), args, { cwd: directory, encoding: 'utf8' });
    if (result.status !== 0) {
      failures.push(`${manifest.name}: ${tool} failed`);
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
    }
  }
  console.log(`${manifest.name}: publint and attw checked`);
}

if (failures.length > 0) {
  console.error(`\n${failures.join('\n')}`);
  process.exit(1);
}
