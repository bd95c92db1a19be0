/**
 * What happens when an exemption is created, deleted, or expires, over the stores.
 *
 * - Creating one suppresses the open findings it covers (history `suppressed`, no notification).
 * - Deleting one, or its expiry, opens its still-suppressed findings again (history
 *   `unsuppressed`) and notifies each as `reopened`: the on-call learns that an accepted risk is
 *   open again. A finding resolved meanwhile stays resolved.
 * - Every finding change is a conditional read-apply-write (`updateFinding`), so concurrent
 *   pipeline writes are never lost; a finding a concurrent writer opened after the exemption's
 *   creation is suppressed by the next sweep.
 * - The audit log gets `created`, `deleted` and `expired` once each: entries have a key per
 *   exemption and action and are appended only if absent; the exemption records which were
 *   written, and the sweep writes any a crash left out.
 *
 * The scheduled work over every exemption is the maintenance job shared/app/jobs/exemptions.ts.
 */
import {
  hasExpired,
  type AuditAction,
  type Exemption,
  type ExemptionAuditEntry,
  type ExemptionRequest,
  SWEEP_ACTOR,
} from '../../core/exemptions/exemption';
import { ConcurrentUpdateError } from '../../core/exemptions/exemption-store';
import { actorNamed, type Finding } from '../../core/findings/finding';
import { applySuppression, applyUnsuppression, exemptionEndEventId } from '../../core/findings/transitions';
import { coversFinding } from '../../core/exemptions/exemption';
import { settleOwed, type Delivery } from '../delivery/delivery';
import type { Storage } from '../storage';

export interface ExemptionDeps {
  storage: Pick<Storage, 'findings' | 'exemptions' | 'flush'>;
  /** Where the `reopened` notifications go; a deferred delivery leaves them owed for a sweep that sends them. */
  delivery: Delivery;
}

async function findingsOfControl(deps: ExemptionDeps, controlId: string): Promise<Finding[]> {
  return deps.storage.findings.listFindings({ controlId });
}

/** Suppresses the open findings the (active) exemption covers; returns how many it suppressed. */
export async function suppressCovered(deps: ExemptionDeps, exemption: Exemption, at: string, actor: string): Promise<number> {
  let suppressed = 0;
  for (const finding of await findingsOfControl(deps, exemption.controlId)) {
    if (finding.status !== 'open' || !coversFinding(exemption, finding)) continue;
    const update = await deps.storage.findings.updateFinding(finding.id, (current) =>
      coversFinding(exemption, current)
        ? applySuppression(current, {
            exemptionId: exemption.id,
            expiresAt: exemption.expiresAt,
            at,
            actor: actorNamed(actor),
            reason: exemption.reason,
          })
        : undefined,
    );
    if (update) suppressed += 1;
  }
  return suppressed;
}

function auditEntryOf(exemption: Exemption, action: AuditAction, now: Date): ExemptionAuditEntry {
  const id = `${exemption.id}:${action}`;
  const scope = `control ${exemption.controlId}, accounts ${exemption.accounts?.join(' ') ?? 'all'}, resources ${exemption.resourcePattern ?? 'all'}`;
  switch (action) {
    case 'created':
      return {
        id,
        at: exemption.createdAt,
        action,
        exemptionId: exemption.id,
        actor: exemption.createdBy,
        detail: `${scope}; approved by ${exemption.approver}; expires ${exemption.expiresAt}; reason: ${exemption.reason}`,
      };
    case 'deleted':
      return {
        id,
        at: exemption.deletedAt!,
        action,
        exemptionId: exemption.id,
        actor: exemption.deletedBy ?? 'unknown',
        detail: `${scope}; deleted before its expiry ${exemption.expiresAt}`,
      };
    case 'expired':
      return {
        id,
        at: exemption.expiresAt,
        action,
        exemptionId: exemption.id,
        actor: SWEEP_ACTOR,
        detail: `${scope}; expired (recorded ${now.toISOString()}); not extended`,
      };
  }
}

/** The audit actions an exemption's history calls for by now. */
export function dueActions(exemption: Exemption, now: Date): AuditAction[] {
  const due: AuditAction[] = ['created'];
  // An exemption deleted after it expired expired first: both are logged, in that order.
  if (hasExpired(exemption, now)) due.push('expired');
  if (exemption.deletedAt !== undefined) due.push('deleted');
  return due;
}

/**
 * Writes the audit entries due and not yet recorded on the exemption, then records them (and,
 * when `settledAt` is given, that its end is carried out) with a conditional write. Re-reads and
 * retries when someone else changed the exemption meanwhile; appends are idempotent.
 */
export async function recordOnExemption(deps: ExemptionDeps, id: string, now: Date, settledAt?: string): Promise<Exemption | undefined> {
  const store = deps.storage.exemptions;
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const exemption = await store.getExemption(id);
    if (!exemption) return undefined;
    const missing = dueActions(exemption, now).filter((action) => !exemption.audited?.includes(action));
    for (const action of missing) await store.appendAudit(auditEntryOf(exemption, action, now));
    const settle = settledAt !== undefined && exemption.settledAt === undefined;
    if (missing.length === 0 && !settle) return exemption;
    const next: Exemption = {
      ...exemption,
      audited: [...(exemption.audited ?? []), ...missing],
      ...(settle ? { settledAt } : {}),
      version: exemption.version + 1,
    };
    try {
      await store.putExemption(next);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  }
  throw new ConcurrentUpdateError(`exemption ${id}: still changed by concurrent writers after 10 attempts`);
}

export interface CreateOptions {
  id: string;
  now: Date;
  /** Who asked (the API caller's identity). */
  actor: string;
}

/** Stores a validated exemption, logs it, and suppresses the open findings it covers. */
export async function createExemption(
  deps: ExemptionDeps,
  request: ExemptionRequest,
  options: CreateOptions,
): Promise<{ exemption: Exemption; suppressed: number }> {
  const at = options.now.toISOString();
  const exemption: Exemption = {
    id: options.id,
    controlId: request.controlId,
    ...(request.accounts ? { accounts: [...request.accounts] } : {}),
    ...(request.resourcePattern !== undefined ? { resourcePattern: request.resourcePattern } : {}),
    reason: request.reason,
    approver: request.approver,
    createdBy: options.actor,
    createdAt: at,
    expiresAt: request.expiresAt,
    version: 1,
  };
  await deps.storage.exemptions.putExemption(exemption);
  const recorded = (await recordOnExemption(deps, exemption.id, options.now)) ?? exemption;
  const suppressed = await suppressCovered(deps, exemption, at, options.actor);
  await deps.storage.flush();
  return { exemption: recorded, suppressed };
}

/**
 * Soft-deletes an exemption, logs it, and opens its still-suppressed findings again (notified as
 * reopened). Undefined when there is no such exemption; deleting twice reopens nothing more.
 */
export async function deleteExemption(
  deps: ExemptionDeps,
  id: string,
  options: { now: Date; actor: string },
): Promise<{ exemption: Exemption; reopened: number } | undefined> {
  const deleted = await deps.storage.exemptions.deleteExemption(id, { at: options.now.toISOString(), by: options.actor });
  if (!deleted) return undefined;
  const { reopened } = await endExemption(deps, deleted, options.now, options.actor);
  const exemption = (await deps.storage.exemptions.getExemption(id)) ?? deleted;
  await deps.storage.flush();
  return { exemption, reopened };
}

/**
 * Carries out the end of an expired or deleted exemption: reopens what it still suppresses,
 * sends the notifications owed for its end (also those an earlier, interrupted attempt left),
 * logs it, and marks it settled once nothing is owed.
 */
export async function endExemption(
  deps: ExemptionDeps,
  exemption: Exemption,
  now: Date,
  actor: string,
): Promise<{ reopened: number; notified: number; failures: unknown[] }> {
  const why = exemption.deletedAt !== undefined && !hasExpired(exemption, now) ? 'deleted' : 'expired';
  const at = now.toISOString();
  let reopened = 0;
  const owed: Finding[] = [];
  const endEvents = new Set([exemptionEndEventId(exemption.id, 'expired'), exemptionEndEventId(exemption.id, 'deleted')]);
  for (const finding of await findingsOfControl(deps, exemption.controlId)) {
    if (finding.status === 'suppressed' && finding.suppressedBy?.exemptionId === exemption.id) {
      const update = await deps.storage.findings.updateFinding(finding.id, (current) =>
        applyUnsuppression(current, { exemptionId: exemption.id, why, at, actor: actorNamed(actor) }),
      );
      if (update) {
        reopened += 1;
        owed.push(update.finding);
      }
    } else if (finding.unnotified && endEvents.has(finding.unnotified.eventId)) {
      owed.push(finding);
    }
  }
  const sent = await settleOwed(deps, owed);
  // Settled once nothing is owed; a deferred delivery (e.g. the API function) leaves it to a sweep that sends.
  const settled = sent.failures.length === 0 && sent.deferred === 0;
  await recordOnExemption(deps, exemption.id, now, settled ? at : undefined);
  return { reopened, notified: sent.sent, failures: sent.failures };
}
