/**
 * The framework report as JSON, streamed: the same text as `renderReport(buildReport(…), 'json')`
 * over the findings of the framework's controls, read a page at a time in two passes, so that what
 * is held at once is bounded whatever the number of findings:
 * 1. each mapped control's findings, counted (ReportTally): the requirements, verdicts and summary;
 * 2. the report's findings list in its order (`byReportOrder`): for the open, then the suppressed
 *    findings, each severity from the highest, the findings of every mapped control that has some,
 *    each control's read newest activity first and merged (at most MERGE_WINDOW findings held).
 * Reading control by control keeps each read to one control (app/findings/merge.ts); the counts of the
 * first pass skip the controls with no finding of a status and severity, and share the window among
 * the others in proportion to their findings.
 * Findings that change between the passes may be counted in one state and listed in another.
 */
import type { Finding, FindingStatus } from '../../core/findings/finding';
import type { Control } from '../../core/model/control';
import type { FrameworkId } from '../../core/model/framework';
import { SEVERITIES, severityRank } from '../../core/model/severity';
import { JsonArrayText } from '../exports/json-array';
import { mergeNewestFirst, oneByOne } from '../findings/merge';
import { type FindingPages, MERGE_WINDOW, MIN_CONTROL_PAGE } from '../findings/pages';
import { controlsOfFramework } from '../../core/model/control-metadata';
import { type BuildReportOptions, ReportTally, reportFindingOf, reportWithoutFindings, requirementsByControl } from './build-report';

/** The statuses the report lists, in its order. */
const LISTED: readonly FindingStatus[] = ['open', 'suppressed'];
/** The severities from the highest. */
const BY_SEVERITY = [...SEVERITIES].sort((a, b) => severityRank(b) - severityRank(a));
const EMPTY_FINDINGS = '[]\n}';
/** List items per chunk: small chunks (see exports' CHUNK_FINDINGS), here about 15 KiB of text. */
const CHUNK_ITEMS = 50;

export async function* reportJsonChunks(
  framework: FrameworkId,
  controls: readonly Control[],
  pages: FindingPages,
  now: Date,
  options: BuildReportOptions = {},
): AsyncGenerator<string, void, undefined> {
  const controlIds = controlsOfFramework(controls, framework);
  const tally = new ReportTally();
  for (const controlId of controlIds) for await (const page of pages({ controlId })) tally.add(page);
  const report = reportWithoutFindings(framework, controls, tally, now, options);
  const requirementsOf = requirementsByControl(report);
  // The whole report with an empty list ends `"findings": []\n}`: the list is written in its place.
  const text = JSON.stringify(report, null, 2);
  if (!text.endsWith(`"findings": ${EMPTY_FINDINGS}`)) throw new Error('a framework report must end with its findings');
  const list = new JsonArrayText('  ');
  let head = text.slice(0, -EMPTY_FINDINGS.length);
  for (const status of LISTED) {
    for (const severity of BY_SEVERITY) {
      const counted = controlIds.map((controlId) => ({ controlId, n: tally.count(controlId, status, severity) })).filter((c) => c.n > 0);
      const total = counted.reduce((sum, c) => sum + c.n, 0);
      const streams = counted.map(({ controlId, n }) =>
        oneByOne(pages({ controlId, status, severity }, Math.max(MIN_CONTROL_PAGE, Math.floor((MERGE_WINDOW * n) / total))))[
          Symbol.asyncIterator
        ](),
      );
      let batch: Finding[] = [];
      for await (const finding of mergeNewestFirst(streams)) {
        batch.push(finding);
        if (batch.length < CHUNK_ITEMS) continue;
        yield head + list.add(batch.map((f) => reportFindingOf(f, requirementsOf)));
        head = '';
        batch = [];
      }
      const items = list.add(batch.map((f) => reportFindingOf(f, requirementsOf)));
      if (items === '') continue;
      yield head + items;
      head = '';
    }
  }
  yield `${head}${list.end()}\n}\n`;
}
