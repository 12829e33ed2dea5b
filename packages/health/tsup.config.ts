import type { Options } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

const config: Options = packageBuild(['src/index.ts']);

export default config;
