/**
 * Every finding a query selects, newest activity first, a page at a time through the store's cursors:
 * what exports, reports and the sweeps read, so that neither memory nor the time other work waits
 * grows with the number of findings. The event loop gets a turn before each page (a store's reads may
 * be synchronous: SQLite).
 */
import type { Finding } from '../../core/findings/finding';
import type { FindingQuery } from '../../core/findings/finding-query';
import type { FindingStore } from '../../core/findings/finding-store';
import { allowedControlIds, pageFindings } from '../../core/findings/query';
import { inPages, mergeNewestFirst, oneByOne } from './merge';

/** Findings a page holds by default (an export's, a sweep's). */
export const FINDING_PAGE_SIZE = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Findings a read over several controls holds at most (about): shared by the controls' reads. */
export const MERGE_WINDOW = 4000;
/** The smallest page one control's read in such a merge asks for. */
export const MIN_CONTROL_PAGE = 50;

/** Reads the findings a query selects, newest activity first, `pageSize` (or a default) at a time. */
export type FindingPages = (query: FindingQuery, pageSize?: number) => AsyncIterable<readonly Finding[]>;

/**
 * The findings a query selects, newest activity first, `pageSize` at a time. A query over several
 * controls (a framework) is read control by control and merged (merge.ts): each store
 * serves one control's findings from an index range, where it sorts a query over many controls whole
 * for every page.
 */
export function findingPages(
  store: Pick<FindingStore, 'listFindings'>,
  query: FindingQuery,
  pageSize = FINDING_PAGE_SIZE,
): AsyncIterable<readonly Finding[]> {
  const controls = allowedControlIds(query);
  if (controls === undefined || controls.length <= 1) return cursorPages(store, query, pageSize);
  const { controlIds: _all, controlId: _one, ...others } = query;
  const each = Math.max(MIN_CONTROL_PAGE, Math.min(pageSize, Math.floor(MERGE_WINDOW / controls.length)));
  const streams = controls.map((controlId) => oneByOne(cursorPages(store, { ...others, controlId }, each))[Symbol.asyncIterator]());
  return inPages(mergeNewestFirst(streams), pageSize);
}

/**
 * The findings a query selects through `pageFindings` and its cursors, giving the event loop a turn
 * before each page (the stores' reads may be synchronous: SQLite). A finding whose activity moves
 * newer while it runs is read at most once, and not at all when it moves from a page not yet read
 * to one already read (as when paging the API by hand).
 */
async function* cursorPages(
  store: Pick<FindingStore, 'listFindings'>,
  query: FindingQuery,
  pageSize: number,
): AsyncGenerator<Finding[], void, undefined> {
  let cursor: string | undefined;
  for (;;) {
    await nextTurn();
    const page = await pageFindings(store, { ...query, limit: pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    if (page.findings.length > 0) yield page.findings;
    if (page.nextCursor === undefined) return;
    cursor = page.nextCursor;
  }
}
