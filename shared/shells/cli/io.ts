import { inertText } from '../../core/model/text';

/** What a command may touch of its process: stdout for results, stderr for diagnostics, stdin, the environment, the clock. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** The time now: sweeps, snoozes, digests, storm-control windows and reports read it (tests set it). */
  now: () => Date;
  /** Standard error when it is a terminal (progress bars are drawn there); absent when it is not (a file, a pipe, a test). */
  terminal?: NodeJS.WritableStream | undefined;
  /** Standard output's width in columns when it is a terminal (tables fit it; else `COLUMNS` says). */
  columns?: number | undefined;
  /** Standard output is a terminal: colours may be used there (style.ts), never in a pipe or a file. */
  outIsTerminal?: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  // Diagnostics are for a person's terminal only: whatever a message quotes (a file name, an argument) is
  // shown inert there, as the commands already make what they quote from events (a guard, not the only one).
  err: (text) => process.stderr.write(`${inertText(text, 'lines')}\n`),
  stdin: process.stdin,
  env: process.env,
  now: () => new Date(),
  terminal: process.stderr.isTTY ? process.stderr : undefined,
  // Read when asked: a terminal may be resized between two tables.
  get columns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
  outIsTerminal: process.stdout.isTTY === true,
};
