/** Entry of `npm run capacity` (bundled into dist/capacity.js); see command.ts. */
import { runCapacity } from './command';

runCapacity(process.argv.slice(2), (text) => process.stdout.write(text)).catch((error: unknown) => {
  process.stderr.write(`capacity: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
