/**
 * Findings read from several sorted streams as one: each stream newest activity first (the stores'
 * order: activity, then id), merged into that order, holding one finding per stream. Exports and
 * reports over many controls read each control on its own and merge them: a store serves one
 * control's findings from an index range, where a query over many controls is sorted whole for
 * every page.
 */
import { byNewestActivity, type Finding } from '../../core/findings/finding';

/** The findings of pages, one at a time. */
export async function* oneByOne(pages: AsyncIterable<readonly Finding[]>): AsyncGenerator<Finding, void, undefined> {
  for await (const page of pages) yield* page;
}

/** Findings gathered into pages of `size` (the last one shorter). */
export async function* inPages(findings: AsyncIterable<Finding>, size: number): AsyncGenerator<Finding[], void, undefined> {
  let page: Finding[] = [];
  for await (const finding of findings) {
    page.push(finding);
    if (page.length < size) continue;
    yield page;
    page = [];
  }
  if (page.length > 0) yield page;
}

/** Sorted streams merged into one sorted stream; stopping it early stops every stream still open. */
export async function* mergeNewestFirst(streams: ReadonlyArray<AsyncIterator<Finding>>): AsyncGenerator<Finding, void, undefined> {
  const heads: Array<{ finding: Finding; stream: AsyncIterator<Finding> }> = [];
  const pending = [...streams];
  try {
    while (pending.length > 0) {
      const stream = pending.shift()!;
      const next = await stream.next();
      if (!next.done) heads.push({ finding: next.value, stream });
    }
    while (heads.length > 0) {
      let first = 0;
      for (let i = 1; i < heads.length; i += 1) if (byNewestActivity(heads[i]!.finding, heads[first]!.finding) < 0) first = i;
      const head = heads[first]!;
      yield head.finding;
      const next = await head.stream.next();
      if (next.done) heads.splice(first, 1);
      else head.finding = next.value;
    }
  } finally {
    await Promise.all([...heads.map((head) => head.stream), ...pending].map((stream) => stream.return?.()));
  }
}
