/** Runs the CLI in-process with captured output, as a user would run `trailwarden ...`. */
import { Readable } from 'node:stream';
import { main } from '../../shared/shells/cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
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
  });
  return { code, stdout, stderr };
}
