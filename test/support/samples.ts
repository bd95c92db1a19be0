/** Loads the bundled sample events under events/<area>/<control-slug>/ by polarity. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Control } from '../../shared/core/model/control';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { isEventBridgeEnvelope, wrapCloudTrailRecord } from '../../shared/core/intake/envelope';

export const EVENTS_DIR = resolve(__dirname, '../../events');

export type Polarity = 'violating' | 'compliant' | 'resolving';
export const POLARITIES: Polarity[] = ['violating', 'compliant', 'resolving'];

export interface Sample {
  file: string;
  polarity: Polarity;
  event: EventBridgeEvent;
}

export function sampleDirOf(control: Control): string {
  return join(EVENTS_DIR, control.area, control.id.slice(control.area.length + 1));
}

export function toEnvelope(value: Record<string, unknown>): EventBridgeEvent {
  return isEventBridgeEnvelope(value) ? (value as unknown as EventBridgeEvent) : wrapCloudTrailRecord(value);
}

/** The control's samples, sorted by file name (the numeric prefixes give lifecycle order). */
export function samplesOf(control: Control): Sample[] {
  const dir = sampleDirOf(control);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => {
      const polarity = POLARITIES.find((p) => name.includes(p));
      if (!polarity) return [];
      const file = join(dir, name);
      return [{ file, polarity, event: toEnvelope(JSON.parse(readFileSync(file, 'utf8'))) }];
    });
}

/** What replaying a sample sequence must leave (its folder's expected.jsonc): the control's findings (all of them), and the settings to replay it under. */
export interface SequenceExpectation {
  settings?: Record<string, unknown>;
  findings: Array<{ resourceId: string; qualifier?: string; severity: string; status: string; count: number }>;
}

/** A stateful detection's sample: a folder of ordered events (`01-….json`, …) and its `expected.jsonc` (JSON; not an event file, so replays of events/ skip it). */
export interface SampleSequence {
  dir: string;
  name: string;
  polarity: Polarity;
  /** The events' files, in replay order. */
  files: string[];
  expected: SequenceExpectation;
}

/** The control's sample sequences: the folders under its sample directory, sorted by name. */
export function sequencesOf(control: Control): SampleSequence[] {
  const root = sampleDirOf(control);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const polarity = POLARITIES.find((p) => name.includes(p));
      if (!polarity) return [];
      const dir = join(root, name);
      const files = readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => join(dir, file));
      const expected = JSON.parse(readFileSync(join(dir, 'expected.jsonc'), 'utf8')) as SequenceExpectation;
      return [{ dir, name, polarity, files, expected }];
    });
}
