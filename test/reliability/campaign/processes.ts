/** The CLI as child processes, timed and with their peak resident memory (Linux /proc). */
import { readFileSync } from 'node:fs';
import { startCli, type CliRun } from '../../support/cli-process';

export interface MeasuredRun extends CliRun {
  seconds: number;
  /** The child's high-water resident set (VmHWM), last read before it exited; 0 where /proc is not there. */
  peakRssMb: number;
}

function highWaterMb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function measuredRun(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  const started = process.hrtime.bigint();
  const { child, done } = startCli(script, args, env);
  let peak = 0;
  const timer = setInterval(() => {
    const mb = child.pid !== undefined ? highWaterMb(child.pid) : undefined;
    if (mb !== undefined) peak = Math.max(peak, mb);
  }, 20);
  const run = await done;
  clearInterval(timer);
  return { ...run, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peak };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const mb = (value: number) => `${value.toFixed(0)} MB`;
export const ms = (value: number) => `${value.toFixed(0)} ms`;
export const s = (value: number) => `${value.toFixed(1)} s`;
