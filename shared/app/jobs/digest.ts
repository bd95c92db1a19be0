/**
 * The digest of the findings below the paging threshold (`pageMinSeverity`) active in a period:
 * built from the store, sent through the delivery (a mailbox, never the pager) unless empty.
 * Scheduled daily in AWS (`digestJob`); `trailwarden digest` builds one for any period (`digestOf`) and
 * delivers it itself.
 */
import { buildDigest, type Digest } from '../../core/notifications/digest';
import type { JobDeps } from './job-deps';

/** The period `digestJob` covers, ending now. */
export const DIGEST_PERIOD_HOURS = 24;

/** The digest of the findings active in [since, until]. */
export async function digestOf(deps: Pick<JobDeps, 'storage' | 'settings'>, since: Date, until: Date): Promise<Digest> {
  const findings = await deps.storage.findings.listFindings({ since: since.toISOString(), until: until.toISOString() });
  return buildDigest(findings, since, until, { pageMinSeverity: deps.settings.pageMinSeverity, findingsUrl: deps.settings.findingsUrl });
}

/** The digest of the last DIGEST_PERIOD_HOURS, delivered unless empty. */
export async function digestJob(
  deps: Pick<JobDeps, 'storage' | 'settings' | 'delivery'>,
  now: Date,
): Promise<{ since: string; until: string; total: number; published: boolean }> {
  const digest = await digestOf(deps, new Date(now.getTime() - DIGEST_PERIOD_HOURS * 3_600_000), now);
  if (digest.total > 0) await deps.delivery.deliverDigest(digest);
  return { since: digest.since, until: digest.until, total: digest.total, published: digest.total > 0 };
}
