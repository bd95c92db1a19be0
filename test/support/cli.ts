/** Runs the CLI in-process with captured output, as a user would run `trailwarden ...`. */
import { Readable } from 'node:stream';
import { main } from '../../shared/shells/cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; now?: () => Date } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (text) => {
      stdout += `${text}\n`;
    },
    err: (text) => {
      stderr += `${text}\n`;
    },
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    // Commands that read the time get the test's clock; without one, the real time (commands whose output does not depend on it).
    now: options.now ?? (() => new Date()),
  });
  return { code, stdout, stderr };
}
