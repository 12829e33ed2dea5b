/**
 * Spawned by close-logger.test.ts: writes lines to a destination, closes the logger and
 * then simply stops — the process must exit on its own with every line written.
 *
 *   node --conditions=@rampart/source close-child.ts <scenario> <directory> <lines>
 */
import { join } from 'node:path';
import { closeLogger, createLogger, type LogDestination } from '../index.ts';

const [scenario = 'stdout', directory = '.', count = '1000'] = process.argv.slice(2);
const lines = Number(count);

function destinationFor(name: string): LogDestination | LogDestination[] {
  switch (name) {
    case 'stdout':
      return 'stdout';
    case 'stderr':
      return 'stderr';
    case 'pretty':
      return 'pretty';
    case 'file':
      return { file: join(directory, 'app.log') };
    case 'rotate':
      return { file: join(directory, 'app.log'), rotate: { size: '4k', count: 1000 } };
    case 'all':
      return [
        'stdout',
        'pretty',
        { file: join(directory, 'app.log'), rotate: { size: '4k', count: 1000 } },
      ];
    case 'hung':
      // A stream whose flush never completes: closeLogger must give up at its timeout.
      return { stream: { write() {}, flush() {} } };
    case 'exit':
      return { file: join(directory, 'app.log') };
    default:
      throw new Error(`unknown scenario ${name}`);
  }
}

const logger = createLogger({ name: 'child', destination: destinationFor(scenario) });
const padding = 'x'.repeat(100);
for (let index = 0; index < lines; index++) {
  logger.info({ index, padding }, `line ${index}`);
}

if (scenario === 'exit') {
  // No close: the exit hook must write what is still buffered.
  process.exit(0);
}

const result = await closeLogger(logger, { timeoutMs: scenario === 'hung' ? 300 : 5_000 });
process.stderr.write(`closed ${JSON.stringify(result)}\n`);
