/**
 * One CloudTrail record read three ways: delivered live by EventBridge (an envelope whose `id` is
 * EventBridge's, the record in `detail`), replayed from a trail file or LookupEvents (an envelope made
 * from the record, whose `id` is the record's eventID), and backfilled. The findings apply it once, by the
 * record's own eventID, whatever envelope carried it first; an event that is not CloudTrail's keeps its
 * envelope id.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { memoryStorage } from '../../shared/adapters/store/memory';
import { toEvent } from '../../shared/core/intake/to-event';
import { eventIdOf, type EventBridgeEvent } from '../../shared/core/model/event';
import { testApplication } from '../support/application';
import { testClock } from '../support/clock';
import { recordingNotifier } from '../support/notifier';

const RECORD = resolve(__dirname, '../../events/iam/administrator-access-granted/1-violating-attach-role.json');

function replayed(): EventBridgeEvent {
  const item = toEvent(
    JSON.parse(readFileSync(RECORD, 'utf8')),
    { file: RECORD, line: 1 },
    { now: () => new Date('2026-12-01T00:00:00Z') },
  );
  if (item.kind !== 'event') throw new Error(`the sample was refused: ${item.reason}`);
  return item.event;
}

it('applies a record delivered live and then replayed or backfilled once, and notifies it once', async () => {
  const record = replayed();
  // EventBridge gives the live delivery an id of its own; the record inside is the same.
  const live: EventBridgeEvent = { ...record, id: randomUUID() };
  expect(live.id).not.toBe(record.id);
  const notifier = recordingNotifier();
  const clock = testClock('2026-12-01T00:00:00.000Z');
  const app = testApplication({ storage: memoryStorage(), notifier, now: clock.now });
  const pipeline = app.pipeline();
  const first = await pipeline.process(live);
  await pipeline.flush();
  expect(first.changes.map((c) => c.transition)).toEqual(['opened']);
  for (const again of [record, { ...record, id: randomUUID() }]) {
    const result = await pipeline.process(again);
    await pipeline.flush();
    expect(result.changes).toEqual([]);
  }
  const [finding] = await app.storage.findings.listFindings();
  expect(finding).toMatchObject({ count: 1, evidence: { eventId: (record.detail as { eventID: string }).eventID } });
  expect(notifier.sent.map((n) => n.transition)).toEqual(['opened']);
  await app.close();
});

it("identifies a CloudTrail event by its record's eventID, any other event by its envelope id", () => {
  const record = replayed();
  expect(eventIdOf({ ...record, id: 'envelope' })).toBe((record.detail as { eventID: string }).eventID);
  const finding: EventBridgeEvent = {
    ...record,
    id: 'guardduty-envelope',
    source: 'aws.guardduty',
    'detail-type': 'GuardDuty Finding',
    detail: { id: 'gd-1', eventID: 'not-a-cloudtrail-record' },
  };
  expect(eventIdOf(finding)).toBe('guardduty-envelope');
  expect(eventIdOf({ ...record, detail: { ...record.detail, eventID: '' } })).toBe(record.id);
});
