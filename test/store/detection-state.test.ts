/**
 * The detection state port (shared/core/detections): the pure window logic, and its contract on the three
 * adapters — memory, SQLite, DynamoDB on dynalite over HTTP with the real SDK client. Event time drives every
 * window: nothing here sleeps or reads the clock, except the DynamoDB TTL case, which injects one.
 */
import { DynamoDbDetectionStateStore, DynamoDbTable } from '../../shared/adapters/store/dynamodb';
import { FINDINGS_TABLE_TIME_TO_LIVE } from '../../shared/adapters/store/dynamodb';
import { stateIdOf, type ObservedSignal } from '../../shared/core/detections/signal';
import { applySignal, entryCapOf, FIRST_SEEN_CAP, type DetectionState } from '../../shared/core/detections/state';
import { createFindingsTable, localDynamoDbClient, storageAdapters } from '../support/storage';
import { startDynalite, type LocalService } from '../support/local-aws';

const T0 = Date.parse('2025-09-16T07:40:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function signal(kind: ObservedSignal['kind'], minute: number, eventId: string, extra: Partial<ObservedSignal> = {}): ObservedSignal {
  return {
    controlId: 'iam.console-login-failed',
    window: 'failuresPerUser',
    kind,
    key: '111122223333/user/alice',
    minutes: 10,
    threshold: 3,
    counts: 'failed sign-ins',
    at: at(minute),
    eventId,
    ...extra,
  };
}

/** Applies signals in order to one pure state, as a store would. */
function applyAll(signals: ObservedSignal[]) {
  let state: DetectionState | undefined;
  return signals.map((s) => {
    const applied = applySignal(state, s);
    if (applied.state) state = applied.state;
    return { ...applied.tally, state };
  });
}

describe('detection state (pure)', () => {
  it('counts a burst within the window on event time, and each event once by id', () => {
    const tallies = applyAll([
      signal('count', 0, 'a'),
      signal('count', 1, 'b'),
      signal('count', 1, 'b'),
      signal('count', 2, 'c'),
      signal('count', 3, 'd'),
    ]);
    expect(tallies.map((t) => [t.count, t.detected])).toEqual([
      [1, false],
      [2, false],
      [2, false],
      [3, true],
      [4, true],
    ]);
  });

  it('finds a burst completed by an event arriving late, and ignores events older than the window', () => {
    const tallies = applyAll([signal('count', 0, 'a'), signal('count', 5, 'c'), signal('count', 2, 'b'), signal('count', -30, 'old')]);
    expect(tallies.map((t) => t.detected)).toEqual([false, false, true, false]);
    expect(tallies[3]!.count).toBe(0);
  });

  it('forgets a state once its newest event is older than the window', () => {
    const [, , late] = applyAll([signal('count', 0, 'a'), signal('count', 1, 'b'), signal('count', 30, 'c')]);
    expect(late!.count).toBe(1);
  });

  it('keeps at most twice the threshold of entries, and 200 first-seen members', () => {
    const many = Array.from({ length: 50 }, (_, i) => signal('count', i / 10, `e${i}`));
    expect(applyAll(many).at(-1)!.state!.entries!.length).toBe(entryCapOf(3));
    const regions = Array.from({ length: FIRST_SEEN_CAP + 20 }, (_, i) =>
      signal('first-seen', i, `r${i}`, { window: 'regionsOfAccount', value: `region-${i}`, minutes: 1 }),
    );
    expect(Object.keys(applyAll(regions).at(-1)!.state!.members!)).toHaveLength(FIRST_SEEN_CAP);
  });

  it('raises a first-seen member only after the learning period, and a redelivery decides as the first time', () => {
    const region = (minute: number, id: string, value: string) =>
      signal('first-seen', minute, id, { window: 'regionsOfAccount', value, minutes: 60 });
    const tallies = applyAll([
      region(0, 'a', 'us-east-1'),
      region(10, 'b', 'eu-west-1'),
      region(90, 'c', 'ap-south-2'),
      region(90, 'c', 'ap-south-2'),
    ]);
    expect(tallies.map((t) => t.detected)).toEqual([false, false, true, true]);
  });

  it('completes a sequence in order within the window, whichever step arrives last', () => {
    const step = (minute: number, id: string, name: string) =>
      signal('step', minute, id, { window: 'stopModifyStart', steps: ['stopped', 'user data replaced', 'started'], step: name });
    expect(applyAll([step(5, 's', 'started'), step(0, 'p', 'stopped'), step(3, 'm', 'user data replaced')]).map((t) => t.detected)).toEqual(
      [false, false, true],
    );
    expect(applyAll([step(0, 'm', 'user data replaced'), step(1, 'p', 'stopped'), step(5, 's', 'started')]).at(-1)!.detected).toBe(false);
  });

  it('keys the state by control, window and key', () => {
    expect(stateIdOf(signal('count', 0, 'a'))).not.toBe(stateIdOf({ ...signal('count', 0, 'a'), key: '111122223333/user/bob' }));
    expect(stateIdOf(signal('count', 0, 'a'))).toBe(stateIdOf(signal('distinct', 9, 'z')));
  });
});

describe.each(storageAdapters('detection-state'))('the detection state port on %s', (_name, open) => {
  it('counts a burst once per event, across storage flushes, order-tolerant', async () => {
    const storage = await open();
    const apply = (s: ObservedSignal) => storage.state.apply(s);
    expect((await apply(signal('count', 0, 'a'))).detected).toBe(false);
    await storage.flush();
    expect((await apply(signal('count', 4, 'c'))).count).toBe(2);
    expect((await apply(signal('count', 4, 'c'))).count).toBe(2);
    const late = await apply(signal('count', 2, 'b'));
    expect([late.count, late.detected]).toEqual([3, true]);
    expect(await apply(signal('follows', 6, 'ok'))).toMatchObject({ detected: true, count: 3 });
    await storage.flush();
  });

  it('counts distinct values and keeps keys apart', async () => {
    const storage = await open();
    const read = (minute: number, id: string, value: string, key = 'a') =>
      storage.state.apply(signal('distinct', minute, id, { window: 'distinctSecretsPerPrincipal', key, value }));
    await read(0, '1', 'secret a');
    await read(1, '2', 'secret a');
    await read(1, '3', 'secret b', 'other principal');
    expect(await read(2, '4', 'secret b')).toMatchObject({ count: 2, detected: false });
    expect(await read(3, '5', 'secret c')).toMatchObject({ count: 3, detected: true, values: ['secret a', 'secret b', 'secret c'] });
  });
});

describe('the DynamoDB detection state', () => {
  let dynalite: LocalService;
  beforeAll(async () => {
    dynalite = await startDynalite();
  });
  afterAll(() => dynalite.stop());

  async function table(name: string) {
    const client = localDynamoDbClient(dynalite.endpoint, { maxAttempts: 3 });
    await createFindingsTable(client, name);
    return new DynamoDbTable({ client, tableName: name });
  }

  it('never loses a count to concurrent writers of one state', async () => {
    const store = new DynamoDbDetectionStateStore(await table('detection-concurrent'), () => new Date(T0));
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.apply(signal('count', i / 8, `concurrent-${i}`, { threshold: 8 }))));
    expect(await store.apply(signal('count', 1, 'concurrent-8', { threshold: 8 }))).toMatchObject({ count: 9, detected: true });
  });

  it('reads an item past its TTL as absent (dynalite, like DynamoDB before its sweep, still returns it)', async () => {
    let now = T0;
    const store = new DynamoDbDetectionStateStore(await table('detection-ttl'), () => new Date(now));
    await store.apply(signal('count', 0, 'a'));
    await store.apply(signal('count', 1, 'b'));
    expect((await store.apply(signal('count', 2, 'c'))).detected).toBe(true);
    // The TTL is the later of the state's expiry in event time (minute 2 + 10) and the clock plus its window (0 + 10).
    now = T0 + 13 * 60_000;
    expect((await store.apply(signal('count', 3, 'd'))).count).toBe(1);
  });

  it('declares the TTL attribute the state items carry', () => {
    expect(FINDINGS_TABLE_TIME_TO_LIVE).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });
});
