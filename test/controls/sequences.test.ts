/**
 * Table-driven test over every stateful detection's sample sequences (events/<area>/<control>/<n-polarity-name>/):
 * each sequence is replayed, in file order, through the same pipeline `trailwarden replay` runs, into a fresh
 * SQLite database, and the control's findings must be exactly those its expected.jsonc lists (severity, status,
 * count). Replaying it a second time changes nothing: events are counted once, by id. Every stateful
 * detection has violating and compliant sequences, and resolving ones when it resolves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvents } from '../../shared/adapters/intake';
import { openSqliteStorage } from '../../shared/adapters/store/sqlite';
import { replay } from '../../shared/app/pipeline/replay';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { Settings } from '../../shared/core/settings/settings';
import { testApplication } from '../support/application';
import { sequencesOf, sampleDirOf, type SampleSequence } from '../support/samples';

const STATEFUL = ALL_CONTROLS.filter((control) => control.detection);
/** Sample events are from 2025: the intake's bound on times ahead of the clock is measured from a fixed day. */
const NOW = () => new Date('2026-01-01T00:00:00Z');

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailwarden-sequences-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replayed(sequence: SampleSequence, controlId: string, times: number) {
  const storage = openSqliteStorage(join(dir, `sequence-${++n}.db`));
  const app = testApplication({
    storage,
    notifier: 'discard',
    now: NOW,
    settings: (sequence.expected.settings ?? {}) as Partial<Settings>,
  });
  try {
    for (let i = 0; i < times; i += 1) await replay(readEvents(sequence.files), app.pipeline());
    const findings = await storage.findings.listFindings({ controlId });
    return findings
      .map((finding) => ({
        resourceId: finding.resourceId,
        ...(finding.qualifier !== undefined ? { qualifier: finding.qualifier } : {}),
        severity: finding.severity,
        status: finding.status,
        count: finding.count,
      }))
      .sort((a, b) => `${a.resourceId}\u0000${a.qualifier ?? ''}`.localeCompare(`${b.resourceId}\u0000${b.qualifier ?? ''}`));
  } finally {
    await app.close();
  }
}

it('has stateful detections', () => {
  expect(STATEFUL.length).toBeGreaterThanOrEqual(8);
});

describe.each(STATEFUL.map((control) => [control.id, control] as const))('%s', (_id, control) => {
  const sequences = sequencesOf(control);
  const of = (polarity: SampleSequence['polarity']) => sequences.filter((sequence) => sequence.polarity === polarity);

  it(`has violating and compliant sequences in ${sampleDirOf(control)}`, () => {
    expect(of('violating').length).toBeGreaterThan(0);
    expect(of('compliant').length).toBeGreaterThan(0);
    if (control.resolution) expect(of('resolving').length).toBeGreaterThan(0);
    else expect(of('resolving')).toEqual([]);
    for (const sequence of of('violating')) expect(sequence.expected.findings.length).toBeGreaterThan(0);
    for (const sequence of of('compliant')) expect(sequence.expected.findings).toEqual([]);
  });

  it.each(sequences.map((sequence) => [sequence.name, sequence] as const))(
    'replays %s to the findings it expects',
    async (_name, sequence) => {
      const expected = [...sequence.expected.findings].sort((a, b) =>
        `${a.resourceId}\u0000${a.qualifier ?? ''}`.localeCompare(`${b.resourceId}\u0000${b.qualifier ?? ''}`),
      );
      expect(await replayed(sequence, control.id, 1)).toEqual(expected);
      // A burst is MEDIUM or above.
      for (const finding of expected) if (finding.status === 'open') expect(['MEDIUM', 'HIGH', 'CRITICAL']).toContain(finding.severity);
    },
  );

  it.each(sequences.map((sequence) => [sequence.name, sequence] as const))(
    'replays %s twice to the same findings',
    async (_name, sequence) => {
      expect(await replayed(sequence, control.id, 2)).toEqual(await replayed(sequence, control.id, 1));
    },
  );
});
