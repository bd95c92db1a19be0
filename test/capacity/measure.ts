/**
 * Replays events the way the AWS stack receives them and measures the DynamoDB write capacity they
 * cost. Per event: every area whose generated EventBridge rules (shared/infra/event-rules.ts
 * `areaRules`) select it gets it, as EventBridge would invoke the area's function; each area function
 * is the real Lambda handler body (`areaEventHandler`) over the application the Lambda shell composes
 * (shared/shells/lambda/compose.ts: default settings, the area's controls) with the real DynamoDB
 * storage (`dynamoDbStorage`) on one findings table in dynalite over HTTP, and a recording notifier
 * in place of SNS. Every item write the storage sends is observed (capture.ts) and costed
 * (write-units.ts), and attributed to the event that caused it.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { areaEventHandler, type AreaPipeline } from '../../shared/adapters/lambda/area-handler';
import { dynamoDbStorage, FINDINGS_TABLE_DEFINITION } from '../../shared/adapters/store/dynamodb';
import { createApplication, type Application } from '../../shared/app/compose';
import type { AppliedChange } from '../../shared/app/pipeline/pipeline';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { intakeOptionsOf, type IntakeItem } from '../../shared/core/intake/types';
import { compilePattern, type CompiledPattern } from '../../shared/core/matching';
import { AREAS, type Area } from '../../shared/core/model/area';
import type { Control } from '../../shared/core/model/control';
import type { EventBridgeEvent } from '../../shared/core/model/event';
import { areaRules } from '../../shared/infra/event-rules';
import { needsReadOnlyManagementEvents } from '../../shared/infra/rule-patterns';
import { settingsFromEnvironment } from '../../shared/shells/lambda/compose';
import { recordingNotifier, type RecordingNotifier } from '../support/notifier';
import { createFindingsTable, TEST_CREDENTIALS } from '../support/storage';
import { CapacityRecorder, instrumentClient, type RecordedWrite } from './capture';

/** The figures of one replay (the JSON line of `npm run capacity -- --json`). */
export interface CapacityResult {
  events: number;
  rejected: number;
  /** Events at least one generated rule of some area selected. */
  delivered: number;
  /** Events at least one control's own pattern (trigger or resolution) selects. */
  matched: number;
  /** Matched events no rule delivered (a rule missing events: must be 0). */
  matched_not_delivered: number;
  routing_precision: number;
  /** Area function invocations (an event delivered to two areas counts twice). */
  invocations: number;
  /** Item write requests the storage sent (each item of a batch counts). */
  writes: number;
  conditional_failures: number;
  wcu_total: number;
  wcu_by_target: Record<string, number>;
  wcu_per_delivered_event: number;
  wcu_repeat: number;
  repeat_events: number;
  wcu_transition: number;
  transition_events: number;
  hottest_partition: string;
  hottest_partition_wcu: number;
  hottest_partition_wcu_at_10k_eps: number;
  top_partitions: Array<{ partition: string; wcu: number; wcu_at_10k_eps: number }>;
  notifications: number;
  notifier: string;
  seconds: number;
}

/** An area's rules as EventBridge applies them: the pattern, and whether read-only management events reach it. */
interface Rule {
  pattern: CompiledPattern;
  readOnlyEvents: boolean;
}

const RATE_EVENTS_PER_SECOND = 10_000;

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/**
 * Whether EventBridge withholds the event from a rule in state ENABLED: a read-only management event
 * delivered through CloudTrail (the same definition the rule states are generated from).
 */
function isReadOnlyManagementEvent(event: EventBridgeEvent): boolean {
  const eventName = (event.detail as { eventName?: unknown }).eventName;
  if (typeof eventName !== 'string') return false;
  return needsReadOnlyManagementEvents({ 'detail-type': [event['detail-type']], detail: { eventName: [eventName] } });
}

function rulesOf(controls: readonly Control[]): Rule[] {
  return areaRules(controls).map(({ pattern, state }) => ({
    pattern: compilePattern(pattern),
    readOnlyEvents: state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
  }));
}

function delivers(rules: Rule[], event: EventBridgeEvent, readOnly: boolean): boolean {
  return rules.some((rule) => (rule.readOnlyEvents || !readOnly) && rule.pattern.matches(event));
}

interface AreaFunction {
  area: Area;
  rules: Rule[];
  app: Application;
  handle: (event: EventBridgeEvent) => Promise<unknown>;
}

export interface MeasureOptions {
  /** dynalite's (or DynamoDB's) endpoint; a new table is created there. */
  endpoint: string;
  /** Controls of the catalogue (default: all). */
  controls?: readonly Control[];
  clock?: () => Date;
  /** Called with the storage's client (already observed) and the table's name before the replay: tests add their own middleware. */
  instrument?: (client: DynamoDBClient, tableName: string) => void;
}

/** Replays `items` through the generated rules, the area functions and the DynamoDB storage. */
export async function measureCapacity(items: AsyncIterable<IntakeItem>, options: MeasureOptions): Promise<CapacityResult> {
  const started = process.hrtime.bigint();
  const controls = options.controls ?? ALL_CONTROLS;
  const clock = options.clock ?? (() => new Date());
  const tableName = `capacity-${randomUUID()}`;
  const clientOptions = { endpoint: options.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS };
  const raw = new DynamoDBClient(clientOptions);
  const client = new DynamoDBClient(clientOptions);
  const recorder = new CapacityRecorder();
  const notifier: RecordingNotifier = recordingNotifier();
  await createFindingsTable(raw, tableName);
  instrumentClient(client, { raw, tableName, shape: FINDINGS_TABLE_DEFINITION, recorder });
  options.instrument?.(client, tableName);

  let changes: AppliedChange[] = [];
  const logger = new Logger({ serviceName: 'trailwarden-capacity', logLevel: 'SILENT' });
  const functions: AreaFunction[] = AREAS.map((area) => {
    const own = controls.filter((control) => control.area === area);
    const settings = settingsFromEnvironment({}, own);
    const app = createApplication({
      settings,
      catalogue: own,
      storage: dynamoDbStorage({ client, tableName, now: clock }),
      notifier,
      clock,
    });
    const pipeline = (): AreaPipeline => {
      const inner = app.pipeline();
      return {
        process: async (event) => {
          const result = await inner.process(event);
          changes.push(...result.changes);
          return result;
        },
        flush: () => inner.flush(),
      };
    };
    const handler = areaEventHandler({ area, logger, pipeline, intake: () => intakeOptionsOf(settings, clock) });
    return { area, rules: rulesOf(own), app, handle: handler };
  });
  const controlPatterns = controls.flatMap((control) =>
    [...control.patterns, ...(control.resolution?.patterns ?? [])].map((pattern) => compilePattern(pattern)),
  );

  let events = 0;
  let rejected = 0;
  let delivered = 0;
  let matched = 0;
  let matchedNotDelivered = 0;
  let invocations = 0;
  const repeat = { events: 0, units: 0 };
  const transition = { events: 0, units: 0 };
  const all: RecordedWrite[] = [];
  try {
    for await (const item of items) {
      if (item.kind === 'rejected') {
        rejected += 1;
        continue;
      }
      const event = item.event;
      events += 1;
      const readOnly = isReadOnlyManagementEvent(event);
      const targets = functions.filter((fn) => delivers(fn.rules, event, readOnly));
      const isMatched = controlPatterns.some((pattern) => pattern.matches(event));
      if (targets.length > 0) delivered += 1;
      if (isMatched) matched += 1;
      if (isMatched && targets.length === 0) matchedNotDelivered += 1;
      changes = [];
      const { writes } = await recorder.during(async () => {
        for (const fn of targets) {
          invocations += 1;
          await fn.handle(event);
        }
      });
      all.push(...writes);
      const units = writes.reduce((sum, write) => sum + write.cost.units, 0);
      if (changes.some((change) => change.transition !== 'repeated')) {
        transition.events += 1;
        transition.units += units;
      } else if (changes.length > 0) {
        repeat.events += 1;
        repeat.units += units;
      }
    }
  } finally {
    await Promise.allSettled(functions.map((fn) => fn.app.close()));
    client.destroy();
    raw.destroy();
  }
  all.push(...recorder.unattributed);
  if (recorder.unmeasuredFailures > 0)
    throw new Error(`${recorder.unmeasuredFailures} write requests failed otherwise than by their condition`);

  const byPartition = new Map<string, number>();
  const byTarget: Record<string, number> = {};
  let total = 0;
  for (const { cost } of all) {
    total += cost.units;
    for (const write of [cost.table, ...cost.indexes]) {
      const name = `${write.target}:${write.partition}`;
      byPartition.set(name, (byPartition.get(name) ?? 0) + write.units);
      byTarget[write.target] = (byTarget[write.target] ?? 0) + write.units;
    }
  }
  const atRate = (units: number) => (events === 0 ? 0 : round((units / events) * RATE_EVENTS_PER_SECOND, 1));
  const ranked = [...byPartition.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const [hottest, hottestUnits] = ranked[0] ?? ['(none)', 0];
  return {
    events,
    rejected,
    delivered,
    matched,
    matched_not_delivered: matchedNotDelivered,
    routing_precision: delivered === 0 ? 0 : round(matched / delivered),
    invocations,
    writes: all.length,
    conditional_failures: all.filter((write) => write.conditionFailed).length,
    wcu_total: total,
    wcu_by_target: byTarget,
    wcu_per_delivered_event: delivered === 0 ? 0 : round(total / delivered),
    wcu_repeat: repeat.events === 0 ? 0 : round(repeat.units / repeat.events),
    repeat_events: repeat.events,
    wcu_transition: transition.events === 0 ? 0 : round(transition.units / transition.events),
    transition_events: transition.events,
    hottest_partition: hottest,
    hottest_partition_wcu: hottestUnits,
    hottest_partition_wcu_at_10k_eps: atRate(hottestUnits),
    top_partitions: ranked.slice(0, 5).map(([partition, wcu]) => ({ partition, wcu, wcu_at_10k_eps: atRate(wcu) })),
    notifications: notifier.sent.length,
    notifier: 'recording (in memory, in place of SNS)',
    seconds: round(Number(process.hrtime.bigint() - started) / 1e9, 1),
  };
}
