/** The readable forms of capacity figures: a console table, and docs/capacity.md. */
import type { CapacityResult } from './measure';

/** One measured input. */
export interface Measured {
  /** What was replayed, for a person. */
  input: string;
  result: CapacityResult;
}

/** The two inputs docs/capacity.md reports, measured on one commit. */
export interface CapacityBaseline {
  commit: string;
  /** Whether the storage adapter and the rule generation had no uncommitted change when measured. */
  clean: boolean;
  measured_at: string;
  bulk: Measured;
  bench: Measured;
}

/** The targets on the real CloudTrail sample (issue 13). */
export const TARGETS = [
  { field: 'routing_precision', label: 'routing precision (matched ÷ delivered)', target: '≥ 0.9', met: (value: number) => value >= 0.9 },
  { field: 'wcu_per_delivered_event', label: 'WCU per delivered event', target: '≤ 3', met: (value: number) => value <= 3 },
  {
    field: 'hottest_partition_wcu_at_10k_eps',
    label: 'hottest partition, WCU/s at 10,000 events/s',
    target: '≤ 1,000',
    met: (value: number) => value <= 1000,
  },
] as const;

const ROWS: Array<[keyof CapacityResult, string]> = [
  ['events', 'events read'],
  ['rejected', 'records rejected by intake'],
  ['delivered', 'delivered (selected by a generated rule)'],
  ['matched', "matched (selected by a control's own pattern)"],
  ['matched_not_delivered', 'matched but not delivered (must be 0)'],
  ['routing_precision', 'routing precision (matched ÷ delivered)'],
  ['invocations', 'area function invocations'],
  ['writes', 'item writes'],
  ['conditional_failures', 'failed conditional writes'],
  ['wcu_total', 'WCU, all writes'],
  ['wcu_per_delivered_event', 'WCU per delivered event'],
  ['wcu_repeat', 'WCU of an event that only repeated a finding (average)'],
  ['repeat_events', 'events that only repeated a finding'],
  ['wcu_transition', 'WCU of an event that opened/reopened/escalated/resolved (average)'],
  ['transition_events', 'events with a transition'],
  ['hottest_partition', 'hottest partition'],
  ['hottest_partition_wcu', 'hottest partition, WCU'],
  ['hottest_partition_wcu_at_10k_eps', 'hottest partition, WCU/s at 10,000 events/s'],
  ['notifications', 'notifications (recording notifier)'],
  ['seconds', 'seconds to measure'],
];

const text = (value: unknown): string =>
  typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(value);

/** The console table of one measurement. */
export function renderTable(measured: Measured): string {
  const width = Math.max(...ROWS.map(([, label]) => label.length));
  const lines = [`Capacity of ${measured.input}`, ''];
  for (const [field, label] of ROWS) lines.push(`  ${label.padEnd(width)}  ${text(measured.result[field])}`);
  lines.push('', '  WCU by target:');
  for (const [target, units] of Object.entries(measured.result.wcu_by_target)) lines.push(`    ${target.padEnd(24)} ${text(units)}`);
  lines.push('', '  Hottest partitions (WCU, WCU/s at 10,000 events/s):');
  for (const top of measured.result.top_partitions) lines.push(`    ${top.partition}  ${text(top.wcu)}  ${text(top.wcu_at_10k_eps)}`);
  return `${lines.join('\n')}\n`;
}

/** Markdown table cells keep partition names (which may hold `|`) whole. */
const cell = (value: unknown): string => text(value).replaceAll('|', '\\|');

function figuresTable(before: Measured | undefined, now: Measured, withTargets: boolean): string[] {
  const header = before ? '| figure | before | now |' : '| figure | now |';
  const rule = before ? '| --- | --- | --- |' : '| --- | --- |';
  const lines = withTargets ? [] : [header, rule];
  if (withTargets) {
    lines.push(
      before ? '| figure | target | before | met | now | met |' : '| figure | target | now | met |',
      before ? '| --- | --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |',
    );
    for (const target of TARGETS) {
      const verdict = (measured: Measured) => {
        const value = measured.result[target.field];
        return `${cell(value)} | ${target.met(value) ? 'yes' : '**no**'}`;
      };
      lines.push(
        before
          ? `| ${target.label} | ${target.target} | ${verdict(before)} | ${verdict(now)} |`
          : `| ${target.label} | ${target.target} | ${verdict(now)} |`,
      );
    }
    lines.push('', header, rule);
  }
  for (const [field, label] of ROWS) {
    if (field === 'seconds') continue;
    lines.push(
      before ? `| ${label} | ${cell(before.result[field])} | ${cell(now.result[field])} |` : `| ${label} | ${cell(now.result[field])} |`,
    );
  }
  const targets = [...new Set([...Object.keys(before?.result.wcu_by_target ?? {}), ...Object.keys(now.result.wcu_by_target)])];
  for (const target of targets) {
    const units = (measured: Measured | undefined) => cell(measured?.result.wcu_by_target[target] ?? 0);
    lines.push(before ? `| WCU on ${target} | ${units(before)} | ${units(now)} |` : `| WCU on ${target} | ${units(now)} |`);
  }
  return lines;
}

function partitions(title: string, measured: Measured): string[] {
  return [
    `${title}:`,
    '',
    '| partition | WCU | WCU/s at 10,000 events/s |',
    '| --- | --- | --- |',
    ...measured.result.top_partitions.map((top) => `| \`${top.partition}\` | ${cell(top.wcu)} | ${cell(top.wcu_at_10k_eps)} |`),
  ];
}

/** One input's section: its figures (against the targets when `withTargets`) and hottest partitions, before and now. */
function section(title: string, before: Measured | undefined, now: Measured, withTargets: boolean): string[] {
  return [
    `## ${title}`,
    '',
    `Input: ${now.input}.`,
    '',
    ...figuresTable(before, now, withTargets),
    '',
    ...(before ? [...partitions('Hottest partitions before', before), ''] : []),
    ...partitions('Hottest partitions now', now),
    '',
  ];
}

/** docs/capacity.md: the figures now against the targets, beside the baseline's when there is one. */
export function renderMarkdown(now: CapacityBaseline, before: CapacityBaseline | undefined): string {
  const describe = (baseline: CapacityBaseline) =>
    `commit \`${baseline.commit.slice(0, 12)}\`${baseline.clean ? '' : ' with uncommitted changes to the storage adapter or the rules'}, measured ${baseline.measured_at}`;
  const lines = [
    '# DynamoDB write capacity',
    '',
    '<!-- Generated by `npm run capacity -- --markdown docs/capacity.md`; edit test/capacity/report.ts instead. -->',
    '',
    'What the AWS stack writes to the findings table per event, measured by replaying events through the',
    'generated EventBridge rules, the area functions and the real DynamoDB storage (`dynamoDbStorage`) on',
    'dynalite. Write units are computed from the items really written (read before and after every write),',
    'by the rules of the Amazon DynamoDB Developer Guide (test/capacity/write-units.ts cites them); index',
    "writes follow each index's key and projection. Notifications go to a recording notifier instead of SNS.",
    '',
    `- **Now**: ${describe(now)}.`,
    before
      ? `- **Before**: ${describe(before)} (docs/capacity-before.json).`
      : '- **Before**: no baseline (docs/capacity-before.json) yet.',
    '',
    'Regenerate (after `npm install`): `npm run capacity -- --markdown docs/capacity.md` (both inputs below;',
    '`--events FILE` another real CloudTrail sample, `--events-count N` another bench mix size). One input:',
    '`npm run capacity -- --json --events FILE`.',
    '',
    ...section('Real CloudTrail sample (targets)', before?.bulk, now.bulk, true),
    ...section('Bench mix', before?.bench, now.bench, false),
    '## How the figures are counted',
    '',
    "- **delivered**: events at least one generated rule of some area selects (the engine's pattern matcher; a",
    '  rule in state `ENABLED` does not receive read-only CloudTrail management events). Each area whose rules',
    "  select the event gets it once, as EventBridge invokes that area's function.",
    "- **matched**: events at least one control's own trigger or resolution pattern selects.",
    '- **WCU**: all write units of the table and its indexes, including the writes of notification claims and',
    '  roll-up windows. An event "only repeated" when every change it made was a repeat of an open finding; it',
    '  has a transition when it opened, reopened, escalated or resolved one.',
    '- **hottest partition**: the table or index partition key value that took the most write units',
    '  (`table:<PK>`, `index <name>:<partition key>`); at 10,000 events/s of the same mix it takes its units',
    '  ÷ events × 10,000 per second.',
    '',
  ];
  return lines.join('\n');
}
