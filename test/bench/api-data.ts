/**
 * A findings database for `npm run bench:api`: N findings written through the store port, each made
 * from a real observation (a violating sample event evaluated by its control: real titles, messages,
 * resource types and masked evidence) on its own account, region and resource, with activity spread
 * over the last 120 days. About a quarter are resolved, a fifth seen twice, and one control's
 * findings are suppressed by an exemption; the local sweeps run once at the end, as `serve` would
 * have run them, so the server starts on a settled database.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { createApplication, createEngine } from '../../shared/app/compose';
import { createExemption } from '../../shared/app/exemptions/exemption-service';
import { LOCAL_SWEEPS, runMaintenance } from '../../shared/app/jobs/maintenance';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { evaluateEvent } from '../../shared/core/evaluation/evaluate';
import { findingIdOf } from '../../shared/core/findings/finding-id';
import { observeViolation, type ViolationObservation } from '../../shared/core/findings/observation';
import { toEvent } from '../../shared/core/intake/to-event';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1'];
const ACCOUNTS = 400;
const DAY_MS = 86_400_000;
const SPREAD_DAYS = 120;

export interface GeneratedDatabase {
  findings: number;
  templates: number;
  resolved: number;
  repeated: number;
  suppressed: number;
  seconds: number;
}

function violatingSamples(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return violatingSamples(path);
      return entry.name.endsWith('.json') && entry.name.includes('violating') ? [path] : [];
    })
    .sort();
}

/** One observation per violation of every violating sample, as the pipeline would record it. */
function observationTemplates(samplesDir: string): ViolationObservation[] {
  const engine = createEngine({ ...DEFAULT_SETTINGS }, ALL_CONTROLS);
  const templates: ViolationObservation[] = [];
  for (const file of violatingSamples(samplesDir)) {
    const item = toEvent(JSON.parse(readFileSync(file, 'utf8')), { file, line: 1 });
    if (item.kind !== 'event') continue;
    for (const outcome of evaluateEvent(item.event, engine.router, engine.context).outcomes) {
      for (const violation of outcome.violations) templates.push(observeViolation(item.event, outcome.control, violation));
    }
  }
  if (templates.length === 0) throw new Error(`no violating sample under ${samplesDir}`);
  return templates;
}

/** A small deterministic generator (mulberry32), so two runs build the same database. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Builds the database file (which must not exist) with `count` findings, ending at `now`. */
export async function generateFindingsDatabase(file: string, count: number, samplesDir: string, now: Date): Promise<GeneratedDatabase> {
  const started = process.hrtime.bigint();
  const templates = observationTemplates(samplesDir);
  const next = random(12);
  const app = createApplication({
    settings: { ...DEFAULT_SETTINGS },
    catalogue: ALL_CONTROLS,
    storage: openSqliteStorage(file),
    notifier: 'deferred',
    clock: () => now,
  });
  const { findings } = app.storage;
  let events = 0;
  let resolved = 0;
  let repeated = 0;
  const at = (ms: number) => new Date(Math.min(now.getTime() - 60_000, ms)).toISOString();
  try {
    for (let n = 0; n < count; n += 1) {
      const template = templates[n % templates.length]!;
      const account = String(100_000_000_000 + Math.floor(next() * ACCOUNTS) * 7_919);
      const region = REGIONS[Math.floor(next() * REGIONS.length)]!;
      const resourceId = `${template.resourceId}-${n.toString(36)}`;
      const key = {
        controlId: template.controlId,
        account,
        region,
        resourceId,
        ...(template.qualifier !== undefined ? { qualifier: template.qualifier } : {}),
      };
      const first = now.getTime() - Math.floor(next() * SPREAD_DAYS * DAY_MS);
      const observe = (time: string): ViolationObservation => {
        const eventId = uuidOf(++events);
        return {
          ...template,
          ...key,
          findingId: findingIdOf(key),
          eventId,
          eventTime: time,
          evidence: { ...template.evidence, eventId, eventTime: time },
        };
      };
      await findings.recordViolation(observe(at(first)));
      const roll = next();
      if (roll < 0.2) {
        await findings.recordViolation(observe(at(first + Math.floor(next() * 5 * DAY_MS))));
        repeated += 1;
      }
      if (roll > 0.75) {
        const changes = await findings.recordResolution({
          ...key,
          eventId: uuidOf(++events),
          eventTime: at(first + 6 * DAY_MS + Math.floor(next() * 10 * DAY_MS)),
          message: 'resolved by the bench',
          actor: { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/remediator` },
        });
        resolved += changes.length;
      }
    }
    await app.storage.flush();
    // One control's findings accepted as a risk (status suppressed), as an auditor would.
    const exempted = templates[0]!.controlId;
    const { suppressed } = await createExemption(
      app.jobs,
      {
        controlId: exempted,
        reason: 'accepted for the bench',
        approver: 'ciso@example.com',
        expiresAt: new Date(now.getTime() + 300 * DAY_MS).toISOString(),
      },
      { id: '00000000-0000-4000-8000-00000000be4c', now, actor: 'local:bench' },
    );
    await runMaintenance(app.jobs, now, LOCAL_SWEEPS);
    await app.storage.flush();
    return {
      findings: count,
      templates: templates.length,
      resolved,
      repeated,
      suppressed,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  } finally {
    await app.close();
  }
}

/** The database file's size with its write-ahead log. */
export function databaseBytes(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(`${file}${suffix}`).size;
    } catch {
      // absent
    }
  }
  return bytes;
}
