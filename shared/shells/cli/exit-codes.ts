/** The exit codes of every command, as `trailwarden --help` and the README list them. */
export const EXIT_OK = 0;
/** Nothing could be read, a store or a sink failed, or `--strict` with a rejection. */
export const EXIT_FAILED = 1;
/** A command line or settings the command cannot act on (named on stderr); nothing was done. */
export const EXIT_USAGE = 2;
/** `--fail-on SEVERITY`: a finding at or above it opened (replay) or was found (evaluate). */
export const EXIT_FINDINGS = 3;
/** The database was busy with another writer past the wait allowed; nothing was lost, run it again (sysexits EX_TEMPFAIL). */
export const EXIT_TRY_AGAIN = 75;

export const EXIT_CODES: ReadonlyArray<{ code: number; meaning: string }> = [
  { code: EXIT_OK, meaning: 'done' },
  { code: EXIT_FAILED, meaning: 'failed: nothing could be read, a store or a sink failed, or --strict with a rejection' },
  { code: EXIT_USAGE, meaning: 'a usage or settings error (named on stderr); nothing was done' },
  { code: EXIT_FINDINGS, meaning: '--fail-on: a finding at or above the severity opened (replay) or was found (evaluate)' },
  { code: EXIT_TRY_AGAIN, meaning: 'the database stayed busy with another writer: nothing applied, run it again' },
];
