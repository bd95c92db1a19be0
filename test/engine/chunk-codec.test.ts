/**
 * The wire form of a worker's chunk (shared/adapters/workers/chunk-codec.ts) gives back exactly the
 * items it was made of: every sample event's observation (violations, resolutions, stateful signals of
 * every kind with the findings they may raise), passed runs and rejections, in one chunk.
 */
import { resolve } from 'node:path';
import { readEvents } from '../../shared/adapters/intake';
import { decodeChunk, encodeChunk } from '../../shared/adapters/workers/chunk-codec';
import { createEngine } from '../../shared/app/compose';
import type { ReplayItem } from '../../shared/app/pipeline/replay';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { observeEvent } from '../../shared/core/evaluation/observed-event';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';

async function sampleItems(): Promise<ReplayItem[]> {
  const engine = createEngine({ ...DEFAULT_SETTINGS }, ALL_CONTROLS);
  const items: ReplayItem[] = [{ kind: 'passed', events: 3, unmatched: 2 }];
  for await (const item of readEvents([resolve(__dirname, '../../events')])) {
    if (item.kind === 'rejected') items.push(item);
    else items.push({ kind: 'observed', observed: observeEvent(item.event, engine.router, engine.context) });
  }
  items.push({ kind: 'rejected', where: { file: 'x.json', line: 3, path: 'Records[2]' }, reason: 'malformed JSON' });
  return items;
}

describe('a chunk on the wire', () => {
  it('decodes to the items it was encoded from', async () => {
    const items = await sampleItems();
    const signals = items.flatMap((item) => (item.kind === 'observed' ? item.observed.outcomes.flatMap((o) => o.signals ?? []) : []));
    // The samples hold signals of every kind, with the findings they may raise.
    expect(new Set(signals.map((signal) => signal.kind))).toEqual(new Set(['count', 'distinct', 'follows', 'first-seen', 'step']));
    expect(signals.some((signal) => signal.raises)).toBe(true);

    const text = encodeChunk(items);

    expect(decodeChunk(text)).toEqual(JSON.parse(JSON.stringify(items)));
    // What repeats is written once: the wire form is smaller than the items written out.
    expect(text.length).toBeLessThan(JSON.stringify(items).length);
  });
});
