/** What a command may touch of its process: stdout for results, stderr for diagnostics, stdin, the environment, the clock. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** The time now: sweeps, snoozes, digests, storm-control windows and reports read it (tests set it). */
  now: () => Date;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  stdin: process.stdin,
  env: process.env,
  now: () => new Date(),
};
