/**
 * Strict event times at intake: a record's eventTime and an envelope's time (and a detail's eventTime)
 * must be RFC 3339 date-times with a zone on a real calendar date, not more than a bound ahead of the
 * clock (default 1 day); what passes is stored as the same instant in any time zone. Each refused
 * record is named (file, line, Records[i].key) and its neighbours are read. The clock is injected.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventTimeOf } from '../../shared/core/findings/observation';
import { toEvent } from '../../shared/core/intake/to-event';
import type { IntakeItem } from '../../shared/core/intake/types';
import { DAY, HOUR, MINUTE, testClock } from '../support/clock';
import { collect, ctRecord, events, FIXTURES, recordsFile, rejections, tempDir } from './helpers';

const NOW = '2026-03-10T12:00:00Z';
const clock = testClock(NOW);
const where = { file: 'test.json', line: 3 };

const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString().replace('.000Z', 'Z');

function reasonOf(item: IntakeItem): string {
  if (item.kind !== 'rejected') throw new Error(`expected a rejection, got event ${item.event.id}`);
  return item.reason;
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** The loose times the campaign found accepted, and why each is refused now. */
const LOOSE_TIMES: Array<[string, RegExp]> = [
  ['1', /is not an RFC 3339 date-time with a time zone/],
  ['March 7', /is not an RFC 3339 date-time with a time zone/],
  ['2025-02-30T10:00:00Z', /is not a real time: 2025-02-30 is not a calendar date/],
  ['2025-03-04T10:12:41', /is not an RFC 3339 date-time with a time zone/], // no zone: it would depend on the machine's
  ['2025-03-04 10:12:41Z', /is not an RFC 3339 date-time with a time zone/],
  ['2024-11-25 17:51:21.000000000', /is not an RFC 3339 date-time with a time zone/],
  ['+010000-01-01T00:00:00Z', /is not an RFC 3339 date-time with a time zone/],
  ['9999-12-31T23:59:59Z', /is more than 1 day ahead of the clock/],
  ['2025-03-04T24:00:00Z', /is not a real time: 24:00:00 is not a time of day/],
];

describe('a CloudTrail record’s eventTime', () => {
  it.each(LOOSE_TIMES)('%j is refused, naming the key', (eventTime, reason) => {
    const item = toEvent(ctRecord(1, { eventTime }), { ...where, path: 'Records[2]' }, { now: clock.now });
    expect(reasonOf(item)).toMatch(/^CloudTrail record key "eventTime" /);
    expect(reasonOf(item)).toMatch(reason);
    expect(item.where).toEqual({ ...where, path: 'Records[2].eventTime' });
  });

  it('is refused more than a day ahead of the clock and accepted an hour ahead', () => {
    expect(reasonOf(toEvent(ctRecord(1, { eventTime: at(2 * DAY) }), where, { now: clock.now }))).toBe(
      'CloudTrail record key "eventTime" is more than 1 day ahead of the clock',
    );
    expect(toEvent(ctRecord(1, { eventTime: at(HOUR) }), where, { now: clock.now }).kind).toBe('event');
    expect(toEvent(ctRecord(1, { eventTime: at(DAY) }), where, { now: clock.now }).kind).toBe('event');
  });

  it('follows the bound it is given (the maxEventAheadMinutes setting)', () => {
    const options = { now: clock.now, maxEventAheadMs: 30 * MINUTE };
    expect(reasonOf(toEvent(ctRecord(1, { eventTime: at(HOUR) }), where, options))).toBe(
      'CloudTrail record key "eventTime" is more than 30 minutes ahead of the clock',
    );
    expect(toEvent(ctRecord(1, { eventTime: at(29 * MINUTE) }), where, options).kind).toBe('event');
  });

  it('follows the clock, not the machine: the same record is refused or accepted as the clock moves', () => {
    const moving = testClock(NOW);
    const record = ctRecord(1, { eventTime: at(3 * DAY) });
    expect(toEvent(record, where, { now: moving.now }).kind).toBe('rejected');
    moving.advance(2 * DAY);
    expect(toEvent(record, where, { now: moving.now }).kind).toBe('event');
  });

  it('is read as the same instant in any time zone, an offset included, and stored in UTC', () => {
    const item = toEvent(ctRecord(1, { eventTime: '2025-03-04T10:12:41-05:00' }), where, { now: clock.now });
    if (item.kind !== 'event') throw new Error(item.reason);
    expect(item.event.time).toBe('2025-03-04T15:12:41Z');
    expect(eventTimeOf(item.event)).toBe('2025-03-04T15:12:41.000Z');
    const lower = toEvent(ctRecord(1, { eventTime: '2025-03-04t10:12:41.5z' }), where, { now: clock.now });
    if (lower.kind !== 'event') throw new Error(lower.reason);
    expect(eventTimeOf(lower.event)).toBe('2025-03-04T10:12:41.500Z');
  });

  it('never quotes the value it refuses', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const reason = reasonOf(toEvent(ctRecord(1, { eventTime: secret }), where, { now: clock.now }));
    expect(reason).not.toContain(secret);
    expect(reason).not.toContain('wJalr');
  });
});

describe('an EventBridge envelope’s time', () => {
  const envelope = () => JSON.parse(readFileSync(join(FIXTURES, 'cloudtrail-via-eventbridge.json'), 'utf8')) as Record<string, unknown>;

  it.each(LOOSE_TIMES)('%j is refused, naming the key', (time, reason) => {
    const item = toEvent({ ...envelope(), time }, where, { now: clock.now });
    expect(reasonOf(item)).toMatch(/^EventBridge event key "time" /);
    expect(reasonOf(item)).toMatch(reason);
    expect(item.where.path).toBe('time');
  });

  it('and its detail’s eventTime, which is the event’s time when present, are both strict', () => {
    const value = envelope();
    const item = toEvent({ ...value, detail: { ...(value.detail as object), eventTime: '2025-03-04T10:12:41' } }, where, {
      now: clock.now,
    });
    expect(reasonOf(item)).toMatch(/^EventBridge event key "detail.eventTime" is not an RFC 3339 date-time/);
    expect(item.where.path).toBe('detail.eventTime');
    const ahead = toEvent({ ...value, detail: { ...(value.detail as object), eventTime: at(2 * DAY) } }, where, { now: clock.now });
    expect(reasonOf(ahead)).toBe('EventBridge event key "detail.eventTime" is more than 1 day ahead of the clock');
  });

  it('is accepted an hour ahead and refused two days ahead', () => {
    const value = envelope();
    const detail = { ...(value.detail as object), eventTime: at(HOUR) };
    expect(toEvent({ ...value, time: at(HOUR), detail }, where, { now: clock.now }).kind).toBe('event');
    expect(reasonOf(toEvent({ ...value, time: at(2 * DAY), detail }, where, { now: clock.now }))).toBe(
      'EventBridge event key "time" is more than 1 day ahead of the clock',
    );
  });
});

describe('a GuardDuty finding’s updatedAt', () => {
  const finding = {
    schemaVersion: '2.0',
    accountId: '210987654321',
    region: 'eu-central-1',
    id: 'f-1',
    arn: 'arn:aws:guardduty:eu-central-1:210987654321:detector/d/finding/f-1',
    type: 'Execution:Runtime/ReverseShell',
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:05:00.000Z',
  };

  it('is read as UTC in the form some exports print (a space, no zone), and refused when it is no time at all', () => {
    const item = toEvent({ ...finding, updatedAt: '2026-03-01 10:05:00.721' }, where, { now: clock.now });
    if (item.kind !== 'event') throw new Error(item.reason);
    expect(item.event.time).toBe('2026-03-01T10:05:00Z');
    const bad = toEvent({ ...finding, updatedAt: 'last Tuesday' }, where, { now: clock.now });
    expect(reasonOf(bad)).toMatch(/^GuardDuty finding key "updatedAt" is not an RFC 3339 date-time/);
    expect(bad.where.path).toBe('updatedAt');
    expect(reasonOf(toEvent({ ...finding, updatedAt: at(2 * DAY) }, where, { now: clock.now }))).toMatch(/ahead of the clock/);
  });
});

describe('strict times when reading files', () => {
  it('refuses each loose time with its file, line and Records[i], and reads the records around them', async () => {
    const records = [ctRecord(0), ...LOOSE_TIMES.map(([eventTime], i) => ctRecord(i + 1, { eventTime })), ctRecord(99)];
    const file = tmp.write('loose.json', recordsFile(records));
    const items = await collect([file], { now: clock.now });
    expect(events(items).map((item) => item.event.id)).toEqual(['evt-0', 'evt-99']);
    expect(rejections(items).map((item) => item.where)).toEqual(
      LOOSE_TIMES.map((_, i) => ({ file, line: 1, path: `Records[${i + 1}].eventTime` })),
    );
    for (const [i, item] of rejections(items).entries()) expect(item.reason).toMatch(LOOSE_TIMES[i]![1]);
  });

  it('refuses a record two days ahead of the given clock and accepts one an hour ahead, in JSON Lines', async () => {
    const lines = [ctRecord(1, { eventTime: at(2 * DAY) }), ctRecord(2, { eventTime: at(HOUR) })].map((r) => JSON.stringify(r));
    const file = tmp.write('ahead.jsonl', `${lines.join('\n')}\n`);
    const items = await collect([file], { now: clock.now });
    expect(events(items).map((item) => item.event.id)).toEqual(['evt-2']);
    expect(rejections(items)).toEqual([
      {
        kind: 'rejected',
        where: { file, line: 1, path: 'eventTime' },
        reason: 'CloudTrail record key "eventTime" is more than 1 day ahead of the clock',
      },
    ]);
  });

  it('checks against the system clock when the caller gives none (readEvents is an adapter: the real time)', async () => {
    const file = tmp.write('far.jsonl', `${JSON.stringify(ctRecord(1, { eventTime: '9999-12-31T23:59:59Z' }))}\n`);
    expect(rejections(await collect([file])).map((item) => item.reason)).toEqual([
      'CloudTrail record key "eventTime" is more than 1 day ahead of the clock',
    ]);
  });

  it('checks the form of times only when toEvent, which is pure, is given no clock', () => {
    expect(toEvent(ctRecord(1, { eventTime: '9999-12-31T23:59:59Z' }), where).kind).toBe('event');
    expect(reasonOf(toEvent(ctRecord(1, { eventTime: '2025-03-04T10:12:41' }), where))).toMatch(/not an RFC 3339 date-time/);
  });
});
