/**
 * The wire form of a worker's chunk (shared/adapters/workers/chunk-codec.ts) gives back exactly the
 * items it was made of: every sample event's observation (violations, resolutions, stateful signals of
 * every kind), passed runs and rejections, in one chunk; and the events whose signals name a finding come
 * back as the JSON text intake read them from, which gives the same event again.
 */
import { resolve } from 'node:path';
import { readEvents } from '../../shared/adapters/intake';
import { decodeChunk, encodeChunk } from '../../shared/adapters/workers/chunk-codec';
import { createEngine } from '../../shared/app/compose';
import type { ReplayItem } from '../../shared/app/pipeline/replay';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { eventOfAcceptedValue } from '../../shared/core/intake/to-event';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { observeEvent } from '../../shared/core/evaluation/observed-event';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';

async function sampleItems(): Promise<{ items: ReplayItem[]; events: EventBridgeEvent[] }> {
  const engine = createEngine({ ...DEFAULT_SETTINGS }, ALL_CONTROLS);
  const items: ReplayItem[] = [{ kind: 'passed', events: 3, unmatched: 2 }];
  // The events given as sources, in order.
  const events: EventBridgeEvent[] = [];
  let asObject = true;
  for await (const item of readEvents([resolve(__dirname, '../../events')], { keepText: true })) {
    if (item.kind === 'rejected') {
      items.push(item);
      continue;
    }
    const observed = observeEvent(item.event, engine.router, engine.context);
    const raising = observed.outcomes.some((outcome) => outcome.signals?.some((signal) => signal.raising));
    if (!raising) {
      items.push({ kind: 'observed', observed });
      continue;
    }
    events.push(item.event);
    // The first such event is given as an object (an event read without its text), the others as their text.
    items.push({ kind: 'observed', observed, source: asObject ? item.event : item.text! });
    asObject = false;
  }
  // A text beyond ASCII: the buffer's slices are cut at UTF-8 byte offsets, not at string indexes.
  const first = items.find((item) => item.kind === 'observed' && item.source !== undefined) as Extract<ReplayItem, { kind: 'observed' }>;
  const wide = { ...events[0]!, detail: { ...(events[0]!.detail as object), userAgent: 'agent ünïcødé 🚀 “quoted”' } };
  items.push({ kind: 'observed', observed: first.observed, source: JSON.stringify(wide) });
  events.push(wide);
  items.push({ kind: 'rejected', where: { file: 'x.json', line: 3, path: 'Records[2]' }, reason: 'malformed JSON' });
  return { items, events };
}

describe('a chunk on the wire', () => {
  it('decodes to the items it was encoded from, with the texts of the events that may raise', async () => {
    const { items, events } = await sampleItems();
    const signals = items.flatMap((item) => (item.kind === 'observed' ? item.observed.outcomes.flatMap((o) => o.signals ?? []) : []));
    // The samples hold signals of every kind, and events whose signals name a finding.
    expect(new Set(signals.map((signal) => signal.kind))).toEqual(new Set(['count', 'distinct', 'follows', 'first-seen', 'step']));
    expect(events.length).toBeGreaterThan(5);

    const encoded = encodeChunk(items);
    // The events' texts travel as one buffer of UTF-8 bytes (transferred, not copied); each comes back as its slice.
    const asStrings = (decodedItems: ReturnType<typeof decodeChunk>) =>
      decodedItems.map((item) =>
        item.kind === 'observed' && item.source instanceof Uint8Array
          ? { ...item, source: Buffer.from(item.source).toString('utf8') }
          : item,
      );
    const decoded = asStrings(decodeChunk(encoded));
    // Decoded items encode again to the same items (their texts given as bytes this time).
    expect(asStrings(decodeChunk(encodeChunk(decodeChunk(encoded))))).toEqual(decoded);

    const asText = items.map((item) =>
      item.kind === 'observed' && item.source !== undefined && typeof item.source !== 'string'
        ? { ...item, source: JSON.stringify(item.source) }
        : item,
    );
    expect(decoded).toEqual(JSON.parse(JSON.stringify(asText)));
    let rebuilt = 0;
    for (const item of decoded) {
      if (item.kind !== 'observed' || item.source === undefined) continue;
      expect(typeof item.source).toBe('string');
      expect(eventOfAcceptedValue(JSON.parse(item.source as string))).toEqual(events[rebuilt]);
      rebuilt += 1;
    }
    expect(rebuilt).toBe(events.length);
    // What repeats is written once: the wire form is smaller than the items written out.
    expect(encoded.items.length).toBeLessThan(
      JSON.stringify(items.map((item) => (item.kind === 'observed' ? { ...item, source: undefined } : item))).length,
    );
  });
});
