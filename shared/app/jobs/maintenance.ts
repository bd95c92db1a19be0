/**
 * The maintenance jobs by name, and one run of a list of them: what the `maintenance` function runs
 * on its schedules, and what `replay` (at its start) and `serve` (every minute) run locally.
 */
import { flushRollups } from './rollups';
import { digestJob } from './digest';
import { sweepDeadlines } from './deadlines';
import { sweepExemptions } from './exemptions';
import type { JobDeps } from './job-deps';
import { sweepSnoozes } from './snoozes';

export const MAINTENANCE_JOBS = ['exemptions', 'snoozes', 'rollups', 'deadlines', 'digest'] as const;
export type MaintenanceJob = (typeof MAINTENANCE_JOBS)[number];

/** Every job, each `(deps, now) => result`. */
export const JOBS: Record<MaintenanceJob, (deps: JobDeps, now: Date) => Promise<object>> = {
  exemptions: sweepExemptions,
  snoozes: sweepSnoozes,
  rollups: flushRollups,
  deadlines: sweepDeadlines,
  digest: digestJob,
};

/** What the one-minute schedule runs (and an invocation naming no jobs). */
export const EVERY_MINUTE: readonly MaintenanceJob[] = ['exemptions', 'snoozes', 'rollups'];
/** Deadlines have their own hourly schedule: each sweep reads every open finding. */
export const EVERY_HOUR: readonly MaintenanceJob[] = ['deadlines'];
/** The digest of the findings below the paging threshold, once a day. */
export const EVERY_DAY: readonly MaintenanceJob[] = ['digest'];
/** What a local shell runs before it evaluates events (`replay`) and every minute (`serve`). */
export const LOCAL_SWEEPS: readonly MaintenanceJob[] = ['exemptions', 'snoozes', 'deadlines'];

export interface MaintenanceRun {
  /** Each job's result, by name (absent when it threw). */
  results: Partial<Record<MaintenanceJob, object>>;
  /** Jobs that threw (the store failed): the job's name and the error. */
  errors: Array<{ job: MaintenanceJob; error: unknown }>;
  /** What went wrong, one line per job: an error, or notifications that could not be sent. */
  failures: string[];
}

/** Runs the jobs in order; a job that fails does not stop the next. */
export async function runMaintenance(deps: JobDeps, now: Date, jobs: readonly MaintenanceJob[]): Promise<MaintenanceRun> {
  const run: MaintenanceRun = { results: {}, errors: [], failures: [] };
  for (const name of jobs) {
    try {
      const result = await JOBS[name](deps, now);
      run.results[name] = result;
      const failed = (result as { notificationFailures?: number }).notificationFailures;
      if (failed) run.failures.push(`${name}: ${failed} notifications could not be sent`);
    } catch (error) {
      run.errors.push({ job: name, error });
      run.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return run;
}
