/** The `trailwarden` command line: a shell over the same core the Lambda handlers run. */
import { UsageError } from './compose';
import { SettingsError } from '../../adapters/config/load-settings';
import { StorageBusyError } from '../../app/storage';
import { inertText } from '../../core/model/text';
import { processIo, type Io } from './io';
import type { CommandSpec } from './command-line';
import { EXIT_FAILED, EXIT_TRY_AGAIN, EXIT_USAGE } from './exit-codes';
import { runProgram } from './program';
import { REPLAY } from './replay-command';
import { EVALUATE } from './evaluate-command';
import { FINDINGS } from './findings-command';
import { CONTROLS } from './controls-command';
import { TEST_PATTERN } from './test-pattern-command';
import { REPORT } from './report-command';
import { SERVE } from './serve-command';
import { DIGEST } from './digest-command';
import { SNOOZE } from './snooze-command';
import { BACKFILL } from './backfill-command';

export { EXIT_TRY_AGAIN } from './exit-codes';

/** Every command, in the order `trailwarden --help` and the README list them. */
export const COMMANDS: readonly CommandSpec[] = [
  REPLAY,
  BACKFILL,
  EVALUATE,
  FINDINGS,
  REPORT,
  SERVE,
  SNOOZE,
  DIGEST,
  CONTROLS,
  TEST_PATTERN,
];

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    return await runProgram(COMMANDS, argv, io);
  } catch (error) {
    const name = COMMANDS.find((command) => command.name === argv.find((arg) => !arg.startsWith('-')))?.name ?? '';
    // Messages may quote a file name, an argument or a value read from a file: shown inert.
    const message = inertText(error instanceof Error ? error.message : String(error), 'lines');
    if (error instanceof SettingsError) {
      io.err(message);
      return EXIT_USAGE;
    }
    io.err(`trailwarden ${name}: ${message}`);
    if (error instanceof UsageError) return EXIT_USAGE;
    if (io.env.TRAILWARDEN_DEBUG && error instanceof Error && error.stack) io.err(inertText(error.stack, 'lines'));
    return error instanceof StorageBusyError ? EXIT_TRY_AGAIN : EXIT_FAILED;
  }
}
