/**
 * `replay --lookup-events [--since 90d] [--until T] [--regions r1,r2|all] [--endpoint-url URL]`: the intake
 * items of CloudTrail's LookupEvents history, its clients made here (the CLI composition) and injected.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { enabledRegions, lookupEvents, lookupEventsClientConfig } from '../../adapters/history/lookup-events';
import type { IntakeItem, IntakeOptions } from '../../core/intake/types';
import { UsageError } from './compose';
import { historyTimeOf } from './history-options';
import { lookupProgress } from './replay-progress';

export interface LookupEventsFlags {
  since?: string;
  until?: string;
  /** Comma-separated region codes, or `all` (the account's enabled regions). */
  regions?: string;
  'endpoint-url'?: string;
}

/** LookupEvents keeps 90 days (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html). */
const DEFAULT_SINCE = '90d';

/** The regions to read: the flag's list, the enabled ones for `all`, else the SDK's configured region. */
async function regionsOf(flag: string | undefined, env: NodeJS.ProcessEnv, endpoint: string | undefined): Promise<string[]> {
  if (flag === 'all') {
    // Account is a global service, reached in us-east-1.
    const account = new AccountClient({ region: 'us-east-1', ...(endpoint === undefined ? {} : { endpoint }) });
    try {
      return await enabledRegions(account);
    } finally {
      account.destroy();
    }
  }
  if (flag !== undefined) {
    const list = flag.split(',').map((r) => r.trim());
    const bad = list.find((r) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(r));
    if (bad !== undefined) throw new UsageError(`--regions: ${JSON.stringify(bad)} is not a region code (us-east-1) or all`);
    return [...new Set(list)];
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('--lookup-events needs --regions (r1,r2 or all) or AWS_REGION');
  return [region];
}

/**
 * The LookupEvents items for these flags, oldest first; the flags are checked and the regions known before
 * it resolves (a usage error comes before anything runs), and the clients are closed when the items end.
 */
export async function lookupEventsInput(
  flags: LookupEventsFlags,
  intake: IntakeOptions,
  env: NodeJS.ProcessEnv,
  now: Date,
  /** Where progress is drawn (a terminal, and not --json); none: nothing drawn. */
  terminal?: NodeJS.WritableStream,
): Promise<AsyncGenerator<IntakeItem>> {
  const startTime = new Date(historyTimeOf('--since', flags.since ?? DEFAULT_SINCE, now));
  const endTime = flags.until === undefined ? undefined : new Date(historyTimeOf('--until', flags.until, now));
  if (endTime !== undefined && endTime < startTime) throw new UsageError(`--until ${flags.until}: before --since`);
  const endpoint = flags['endpoint-url'];
  const regions = await regionsOf(flags.regions, env, endpoint);
  const clients = new Map<string, CloudTrailClient>();
  const clientFor = (region: string) => {
    const client = clients.get(region) ?? new CloudTrailClient(lookupEventsClientConfig(region, endpoint));
    clients.set(region, client);
    return client;
  };
  const progress = lookupProgress(terminal, { start: startTime, end: endTime ?? now }, regions);
  return (async function* lookupEventsItems() {
    try {
      yield* lookupEvents({
        regions,
        clientFor,
        startTime,
        ...(endTime === undefined ? {} : { endTime }),
        intake,
        onPage: (page) => progress.page(page),
      });
    } finally {
      progress.stop();
      for (const client of clients.values()) client.destroy();
    }
  })();
}
