/**
 * Issue 12, the API under load: exports are rendered a page at a time (`exportChunks`), and what
 * they send is the whole export, byte for byte, whatever the page sizes.
 */
import { CHUNK_FINDINGS, EXPORT_FORMATS, exportChunks, exportContentType, exportFindings } from '../../shared/app/exports';
import { JsonArrayText } from '../../shared/app/exports/json-array';
import { byNewestActivity } from '../../shared/core/findings/finding';
import { inPages, mergeNewestFirst, oneByOne } from '../../shared/app/findings/merge';
import { ALL_CONTROLS } from '../../shared/core/controls';
import type { Finding } from '../../shared/core/findings/finding';
import { SEVERITIES } from '../../shared/core/model/severity';
import { finding } from './fixtures';

/** Findings with what an export must carry through: every status, qualifiers, formula-like and non-ASCII text, new lines, suppression. */
function manyFindings(count: number): Finding[] {
  const controls = ALL_CONTROLS.slice(0, 40);
  return Array.from({ length: count }, (_, n) => {
    const control = controls[n % controls.length]!;
    const status = (['open', 'resolved', 'suppressed'] as const)[n % 3];
    return finding({
      controlId: control.id,
      area: control.area,
      title: control.title,
      severity: SEVERITIES[n % SEVERITIES.length],
      status,
      account: String(100000000000 + (n % 17)),
      region: n % 2 ? 'eu-west-1' : 'us-east-1',
      resourceId: n % 11 === 0 ? `=HYPERLINK("http://x/${n}")` : `sg-${n.toString(16).padStart(8, '0')}`,
      ...(n % 5 === 0 ? { qualifier: `tcp/${n} from 0.0.0.0/0` } : {}),
      message: n % 7 === 0 ? `line one\r\nline "two", ünïcödé ${n} 🔥` : `message ${n}`,
      lastSeen: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
      count: 1 + (n % 4),
      ...(status === 'resolved' ? { resolvedAt: new Date(Date.UTC(2026, 0, 2) + n * 60_000).toISOString() } : {}),
      ...(status === 'suppressed' ? { suppressedBy: { exemptionId: `ex-${n}`, expiresAt: '2027-01-01T00:00:00.000Z' } } : {}),
    } as Partial<Finding>);
  });
}

async function* pagesOf(findings: readonly Finding[], size: number): AsyncGenerator<Finding[]> {
  for (let i = 0; i < findings.length; i += size) yield findings.slice(i, i + size);
}

async function streamed(format: (typeof EXPORT_FORMATS)[number], findings: readonly Finding[], size: number): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of exportChunks(format, pagesOf(findings, size), ALL_CONTROLS)) chunks.push(chunk);
  return chunks;
}

describe('exportChunks', () => {
  const findings = manyFindings(3000);

  it.each(EXPORT_FORMATS)('%s: the chunks are the whole export, byte for byte, whatever the page size', async (format) => {
    const whole = exportFindings(format, findings, ALL_CONTROLS);
    expect(whole.contentType).toBe(exportContentType(format));
    for (const size of [1, 7, 500, 3000]) {
      const chunks = await streamed(format, findings, size);
      expect(chunks.join('') === whole.body).toBe(true);
      // At least one chunk per page, and a chunk holds at most CHUNK_FINDINGS findings: never the whole document at once.
      expect(chunks.length).toBeGreaterThanOrEqual(Math.max(Math.ceil(findings.length / size), findings.length / CHUNK_FINDINGS));
    }
  });

  it.each(EXPORT_FORMATS)('%s: no finding, one finding and empty pages', async (format) => {
    for (const subset of [[], findings.slice(0, 1), findings.slice(0, 2)]) {
      const whole = exportFindings(format, subset, ALL_CONTROLS).body;
      expect((await streamed(format, subset, 1)).join('')).toBe(whole);
      const withEmpty = async function* () {
        yield [];
        yield* pagesOf(subset, 1);
        yield [];
      };
      let text = '';
      for await (const chunk of exportChunks(format, withEmpty(), ALL_CONTROLS)) text += chunk;
      expect(text).toBe(whole);
    }
  });

  it('reads the next page only when the next chunk is asked for', async () => {
    let read = 0;
    const pages = async function* () {
      for (let i = 0; i < 5; i += 1) {
        read += 1;
        yield findings.slice(i * 10, i * 10 + 10);
      }
    };
    // Pages of 10 findings: one chunk each (CHUNK_FINDINGS is more).
    const iterator = exportChunks('ocsf', pages(), ALL_CONTROLS)[Symbol.asyncIterator]();
    await iterator.next();
    expect(read).toBe(1);
    await iterator.next();
    expect(read).toBe(2);
    await iterator.return?.(undefined);
    expect(read).toBe(2);
  });
});

describe('JsonArrayText', () => {
  it('writes nested arrays as JSON.stringify(…, null, 2) does', () => {
    const items = [{ a: 1, b: [1, 2], c: {}, d: [], e: 'x\ny' }, null, 'text', [], { nested: { deeper: [{ x: 1 }] } }];
    const array = new JsonArrayText('  ');
    const text = `{\n  "list": ${array.add(items.slice(0, 2))}${array.add([])}${array.add(items.slice(2))}${array.end()}\n}`;
    expect(text).toBe(JSON.stringify({ list: items }, null, 2));
    expect(`{\n  "list": ${new JsonArrayText('  ').end()}\n}`).toBe(JSON.stringify({ list: [] }, null, 2));
  });
});

describe('mergeNewestFirst', () => {
  it('merges streams sorted newest first into one sorted stream, and stops them all when stopped', async () => {
    const all = manyFindings(600).sort(byNewestActivity);
    const byControl = new Map<string, Finding[]>();
    for (const f of all) byControl.set(f.controlId, [...(byControl.get(f.controlId) ?? []), f]);
    const stopped: string[] = [];
    const stream = (id: string, list: Finding[]) =>
      (async function* () {
        try {
          yield* pagesOf(list, 3);
        } finally {
          stopped.push(id);
        }
      })();
    const merged = mergeNewestFirst([...byControl].map(([id, list]) => oneByOne(stream(id, list))[Symbol.asyncIterator]()));
    const pages: Finding[][] = [];
    for await (const page of inPages(merged, 50)) pages.push(page);
    expect(pages.flat().map((f) => f.id)).toEqual(all.map((f) => f.id));
    expect(pages.every((page, i) => page.length === 50 || i === pages.length - 1)).toBe(true);

    stopped.length = 0;
    const early = mergeNewestFirst([...byControl].map(([id, list]) => oneByOne(stream(id, list))[Symbol.asyncIterator]()));
    await early.next();
    await early.return(undefined);
    expect(stopped.sort()).toEqual([...byControl.keys()].sort());
  });
});
