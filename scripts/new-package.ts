/**
 * Creates the skeleton of a new workspace package under packages/<name>:
 * package.json (exports with the source condition, engines, files, …), tsconfig.json and
 * tsup.config.ts. Usage: `node scripts/new-package.ts <name> "<one-line description>"`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description] = process.argv.slice(2);
if (name === undefined || !/^[a-z][a-z0-9-]*$/.test(name) || description === undefined) {
  console.error('usage: node scripts/new-package.ts <kebab-name> "<one-line description>"');
  process.exit(1);
}
const directory = join('packages', name);
if (existsSync(join(directory, 'package.json'))) {
  console.error(`${directory}/package.json already exists`);
  process.exit(1);
}
const errors = JSON.parse(readFileSync('packages/errors/package.json', 'utf8')) as Record<
  string,
  unknown
>;
const manifest = {
  name: `@rampart/${name}`,
  version: '0.0.0',
  description,
  keywords: [name, 'resilience', 'rampart'],
  license: 'MIT',
  author: errors.author,
  homepage: `https://github.com/rampart-js/rampart/tree/main/packages/${name}#readme`,
  bugs: errors.bugs,
  repository: { ...(errors.repository as object), directory: `packages/${name}` },
  type: 'module',
  sideEffects: false,
  engines: errors.engines,
  files: ['dist'],
  exports: {
    '.': {
      '@rampart/source': './src/index.ts',
      types: './dist/index.d.ts',
      default: './dist/index.js',
    },
    './package.json': './package.json',
  },
  scripts: { build: 'tsup' },
  dependencies: { '@rampart/errors': 'workspace:^' },
};
mkdirSync(join(directory, 'src'), { recursive: true });
writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const file of ['tsconfig.json', 'tsup.config.ts', 'LICENSE']) {
  writeFileSync(join(directory, file), readFileSync(join('packages/errors', file), 'utf8'));
}
console.log(`created ${directory}: add src/index.ts, README.md and a changeset`);
