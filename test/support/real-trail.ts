/**
 * Real CloudTrail at volume: the 2,900-record sample of ../shared/corpus/bulk (one account's trail
 * during an attack simulation) replicated into as many log files as a benchmark asks for. Replica k
 * is the sample k hours later, with its own event and request ids, so every record is a distinct
 * event and findings repeat as they would over a day of the same account. Written as CloudTrail
 * delivers it: gzip-compressed `{"Records":[...]}` files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Where the sample is: `$TRAILWARDEN_BULK`, else the team's corpus beside the checkout (npm scripts run in it). */
export const BULK_SAMPLE = resolve(
  process.env.TRAILWARDEN_BULK ?? join('..', 'shared', 'corpus', 'bulk', 'invictus-ir_aws_dataset_cloudtrail.jsonl.gz'),
);

/** Records per written log file (the sample's 55 files hold 53 on average; busy trails write hundreds). */
const RECORDS_PER_FILE = 500;
const HOUR_MS = 3_600_000;

export interface RealTrail {
  dir: string;
  files: string[];
  /** Compressed bytes written. */
  bytes: number;
  events: number;
}

export function bulkSamplePresent(file = BULK_SAMPLE): boolean {
  return existsSync(file);
}

/** An id of the same form as `id` (UUID or other), made distinct for replica k (k = 0 keeps it). */
function variedId(id: unknown, replica: number): unknown {
  if (typeof id !== 'string' || replica === 0) return id;
  const tail = replica.toString(16).padStart(6, '0');
  return id.length > tail.length ? `${id.slice(0, id.length - tail.length)}${tail}` : `${id}-${tail}`;
}

function shifted(time: unknown, ms: number): unknown {
  if (typeof time !== 'string' || ms === 0) return time;
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? time : new Date(parsed + ms).toISOString().replace('.000Z', 'Z');
}

/** Writes at least `minimum` events (whole replicas of the sample) under `dir`. */
export function replicateBulkSample(minimum: number, dir: string, file = BULK_SAMPLE): RealTrail {
  const records = gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  if (records.length === 0) throw new Error(`${file}: no records`);
  mkdirSync(dir, { recursive: true });
  const replicas = Math.ceil(minimum / records.length);
  const files: string[] = [];
  let bytes = 0;
  let batch: string[] = [];
  const writeBatch = () => {
    if (batch.length === 0) return;
    const path = join(dir, `trail-${String(files.length).padStart(6, '0')}.json.gz`);
    const body = gzipSync(`{"Records":[${batch.join(',')}]}`);
    writeFileSync(path, body);
    files.push(path);
    bytes += body.length;
    batch = [];
  };
  for (let replica = 0; replica < replicas; replica += 1) {
    const ms = replica * HOUR_MS;
    for (const record of records) {
      const copy: Record<string, unknown> = {
        ...record,
        eventID: variedId(record.eventID, replica),
        eventTime: shifted(record.eventTime, ms),
      };
      if (record.requestID !== undefined) copy.requestID = variedId(record.requestID, replica);
      batch.push(JSON.stringify(copy));
      if (batch.length >= RECORDS_PER_FILE) writeBatch();
    }
  }
  writeBatch();
  return { dir, files, bytes, events: replicas * records.length };
}
