/**
 * Many distinct events made from the bundled samples (varied ids, accounts, regions and resources),
 * written as CloudTrail log files (`{"Records":[...]}`) and EventBridge JSON Lines: the input of the
 * benchmark and of the reliability tests.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RECORDS_PER_FILE = 1000;
const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const RESOURCE_ID = /^(sg|vpc|subnet|i|vol|snap|ami|acl|rtb|igw|pcx|eni|lt)-[0-9a-f]{8,17}$/;

export interface GeneratedEvents {
  dir: string;
  files: string[];
  bytes: number;
  events: number;
}

export interface GenerateOptions {
  /** Where the samples are (a tree of `.json` events). */
  samplesDir: string;
  /** Where to write (default: a new temporary directory). */
  dir?: string;
  /** The first of the accounts the events are spread over (1,000 accounts from it). Default 100000000000. */
  accountBase?: number;
  /** Event ids start here (distinct inputs: distinct ranges). Default 0. */
  firstId?: number;
  /** When set, event n happens at `times.start + n × times.stepMs` instead of the sample's time. */
  times?: { start: Date; stepMs: number };
  /** CloudTrail records per `{"Records":[...]}` file (default 1,000; Infinity: one document). */
  recordsPerFile?: number;
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? listJson(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
    )
    .sort();
}

/** The sample with its resource ids varied by `suffix` (so events of one sample land on many findings). */
function vary(value: unknown, suffix: string): unknown {
  if (typeof value === 'string') return RESOURCE_ID.test(value) ? `${value.slice(0, value.length - suffix.length)}${suffix}` : value;
  if (Array.isArray(value)) return value.map((v) => vary(v, suffix));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, vary(v, suffix)]));
  }
  return value;
}

function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function generateEvents(count: number, options: GenerateOptions): GeneratedEvents {
  const samples = listJson(options.samplesDir).map((file) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  if (samples.length === 0) throw new Error(`no sample events under ${options.samplesDir}`);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'trailwarden-events-'));
  mkdirSync(dir, { recursive: true });
  const accountBase = options.accountBase ?? 100000000000;
  const firstId = options.firstId ?? 0;
  const recordsPerFile = options.recordsPerFile ?? RECORDS_PER_FILE;
  const files: string[] = [];
  let records: string[] = [];
  let envelopes: string[] = [];
  let bytes = 0;
  const write = (name: string, extension: string, text: string) => {
    const file = join(dir, `${name}-${firstId}-${String(files.length).padStart(5, '0')}${extension}`);
    writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
  };
  // A CloudTrail document is written as it fills (one document may be larger than a string can be).
  let document: { fd: number; file: string; records: number } | undefined;
  const appendRecords = () => {
    if (records.length === 0) return;
    if (!document) {
      const file = join(dir, `ct-${firstId}-${String(files.length).padStart(5, '0')}.json`);
      document = { fd: openSync(file, 'w'), file, records: 0 };
      files.push(file);
      bytes += writeSync(document.fd, '{"Records":[');
    }
    bytes += writeSync(document.fd, `${document.records > 0 ? ',' : ''}${records.join(',')}`);
    document.records += records.length;
    records = [];
  };
  const writeRecords = () => {
    appendRecords();
    if (document) {
      bytes += writeSync(document.fd, ']}');
      closeSync(document.fd);
      document = undefined;
    }
  };
  const writeEnvelopes = () => {
    if (envelopes.length > 0) write('eb', '.jsonl', `${envelopes.join('\n')}\n`);
    envelopes = [];
  };
  for (let n = 0; n < count; n++) {
    const sample = samples[n % samples.length]!;
    const account = String(accountBase + (Math.floor(n / samples.length) % 1000));
    const region = REGIONS[n % REGIONS.length]!;
    const suffix = (n % 4096).toString(16).padStart(3, '0');
    const varied = vary(sample, suffix) as Record<string, unknown>;
    const time = options.times
      ? new Date(options.times.start.getTime() + n * options.times.stepMs).toISOString().replace('.000Z', 'Z')
      : undefined;
    if ('detail-type' in varied) {
      const detail = varied.detail as Record<string, unknown> | undefined;
      const timed = time ? { time, ...(detail && 'eventTime' in detail ? { detail: { ...detail, eventTime: time } } : {}) } : {};
      envelopes.push(JSON.stringify({ ...varied, ...timed, id: uuidOf(firstId + n), account, region }));
      if (envelopes.length >= RECORDS_PER_FILE) writeEnvelopes();
    } else {
      const identity = { ...(varied.userIdentity as Record<string, unknown> | undefined), accountId: account };
      const record = { ...varied, eventID: uuidOf(firstId + n), recipientAccountId: account, awsRegion: region, userIdentity: identity };
      records.push(JSON.stringify(time ? { ...record, eventTime: time } : record));
      if ((document?.records ?? 0) + records.length >= recordsPerFile) writeRecords();
      else if (records.length >= RECORDS_PER_FILE) appendRecords();
    }
  }
  writeRecords();
  writeEnvelopes();
  return { dir, files: files.sort(), bytes, events: count };
}
