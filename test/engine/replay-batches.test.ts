/**
 * How a replay cuts its input into batches (a batch is one transaction, holding the database's write lock,
 * and the notifications it caused go out when it commits): at `flushEvery` events, or once a batch has been
 * open `flushAfterMs`, whichever comes first, by the clock the replay is given. The processor here counts
 * what it is asked to do; the batching is the replay's alone.
 */
import { replay, type EventProcessor, type ReplayItem } from '../../shared/app/pipeline/replay';
import type { EventBridgeEvent } from '../../shared/core/model/event';

function counting(): EventProcessor & { flushes: number[]; events: number } {
  const processor = {
    flushes: [] as number[],
    events: 0,
    process: async (_event: EventBridgeEvent) => {
      processor.events += 1;
      return { matched: 0, changes: [], controlErrors: [] };
    },
    flush: async () => {
      processor.flushes.push(processor.events);
    },
  };
  return processor;
}

const event = { id: 'e', source: 'aws.s3', 'detail-type': 'x', account: '1', region: 'r', time: 't', detail: {} } as EventBridgeEvent;
async function* events(count: number): AsyncGenerator<ReplayItem> {
  for (let i = 0; i < count; i += 1) yield { kind: 'event', event, where: { file: 'f', line: i + 1 } };
}

describe('replay batches', () => {
  it('commit every flushEvery events while the clock stands still, and once at the end', async () => {
    const processor = counting();
    await replay(events(2500), processor, { flushEvery: 1000, flushAfterMs: 500, now: () => 0 });

    expect(processor.flushes).toEqual([1000, 2000, 2500]);
  });

  it('commit a batch open flushAfterMs by the clock, however few events it holds', async () => {
    const processor = counting();
    let clock = 0;
    // 1 ms per clock reading: the clock is read every 64 events.
    await replay(events(1000), processor, { flushEvery: 100_000, flushAfterMs: 5, now: () => clock++ });

    expect(processor.flushes.length).toBeGreaterThan(3);
    expect(processor.flushes.every((at, i) => i === processor.flushes.length - 1 || at % 64 === 0)).toBe(true);
    expect(processor.flushes.at(-1)).toBe(1000);
  });

  it('count runs of events evaluated elsewhere towards the batch', async () => {
    const processor = counting();
    async function* runs(): AsyncGenerator<ReplayItem> {
      for (let i = 0; i < 5; i += 1) yield { kind: 'passed', events: 400, unmatched: 400 };
    }
    const summary = await replay(runs(), processor, { flushEvery: 1000, now: () => 0 });

    expect(summary).toMatchObject({ events: 2000, unmatched: 2000 });
    // 400, 800, 1,200: a commit; then 400, 800 and the end: another.
    expect(processor.flushes.length).toBe(2);
  });
});
