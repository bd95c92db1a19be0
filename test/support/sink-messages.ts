/**
 * What a `jsonl:` sink received, read back the way the on-call would count it: each finding and
 * transition whether it went out alone or inside a roll-up. Shared by the crash-consistency test and
 * `npm run reliability`.
 */
import { existsSync, readFileSync } from 'node:fs';

/** The fields of a JSON Lines message these counts use. */
export interface SinkMessage {
  dedupKey: string;
  transition: string;
  findingId?: string;
  rollupOf?: 'opened' | 'resolved';
  resources?: Array<{ findingId: string }>;
  moreResources?: number;
}

export interface SinkContents {
  messages: SinkMessage[];
  /** The file does not end with a line break: the last line was cut. */
  partialLastLine: boolean;
  /** Lines that are not JSON (a line glued to a cut one). */
  brokenLines: number;
}

export function readSink(file: string): SinkContents {
  if (!existsSync(file)) return { messages: [], partialLastLine: false, brokenLines: 0 };
  const text = readFileSync(file, 'utf8');
  const messages: SinkMessage[] = [];
  let brokenLines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      messages.push(JSON.parse(line) as SinkMessage);
    } catch {
      brokenLines += 1;
    }
  }
  return { messages, partialLastLine: text !== '' && !text.endsWith('\n'), brokenLines };
}

/** An opening is an opening whether it says opened or reopened: a roll-up of openings holds both. */
function kindOf(transition: string): string {
  return transition === 'reopened' ? 'opened' : transition;
}

export interface NotificationCounts {
  /**
   * `findingId|kind` (kind: opened, resolved, escalated) → times it reached the sink, alone or in a
   * roll-up (a roll-up sent again counted once here, and in `rollupsAgain`).
   */
  byFinding: Map<string, number>;
  /** Roll-ups sent more than once (by dedup key): one message each time, however many findings it lists. */
  rollupsAgain: number;
  /** Roll-ups sent. */
  rollups: number;
  /** Findings a roll-up counted without listing them (beyond its list): these counts cannot see them. */
  unlisted: number;
}

export function countNotifications(messages: readonly SinkMessage[]): NotificationCounts {
  const byFinding = new Map<string, number>();
  const rollups = new Set<string>();
  let rollupsAgain = 0;
  let unlisted = 0;
  const add = (key: string) => byFinding.set(key, (byFinding.get(key) ?? 0) + 1);
  for (const message of messages) {
    if (message.transition !== 'rollup') {
      add(`${message.findingId}|${kindOf(message.transition)}`);
    } else if (rollups.has(message.dedupKey)) {
      rollupsAgain += 1;
    } else {
      rollups.add(message.dedupKey);
      for (const resource of message.resources ?? []) add(`${resource.findingId}|${message.rollupOf}`);
      unlisted += message.moreResources ?? 0;
    }
  }
  return { byFinding, rollupsAgain, rollups: rollups.size, unlisted };
}

export interface Comparison {
  /** Finding notifications the expected run sent that the other did not (as many times). */
  lost: string[];
  /** Finding notifications the other run sent that the expected one never did. */
  unexpected: string[];
  /** Messages sent more often than in the expected run: a finding's notification again (alone or in a roll-up), or a roll-up again. */
  duplicated: number;
}

export function compareNotifications(expected: NotificationCounts, received: NotificationCounts): Comparison {
  const lost = [...expected.byFinding].filter(([key, count]) => (received.byFinding.get(key) ?? 0) < count).map(([key]) => key);
  const unexpected = [...received.byFinding.keys()].filter((key) => !expected.byFinding.has(key));
  const again = [...received.byFinding].reduce((sum, [key, count]) => sum + Math.max(0, count - (expected.byFinding.get(key) ?? 0)), 0);
  return { lost, unexpected, duplicated: again + Math.max(0, received.rollupsAgain - expected.rollupsAgain) };
}
