/**
 * What happens when an exemption is created, deleted, or expires, over the FindingStore port.
 *
 * - Creating one suppresses the open findings it covers (history `suppressed`, no notification).
 * - Deleting one, or its expiry, opens its still-suppressed findings again (history
 *   `unsuppressed`) and notifies each as `reopened`: the on-call learns that an accepted risk is
 *   open again. A finding resolved meanwhile stays resolved.
 * - Every finding change is a conditional read-apply-write (`store.updateFinding`), so concurrent
 *   pipeline writes are never lost; a finding a concurrent writer opened after the exemption's
 *   creation is suppressed by the next sweep.
 * - The audit log gets `created`, `deleted` and `expired` once each: entries have a key per
 *   exemption and action and are appended only if absent; the exemption records which were
 *   written, and the sweep writes any a crash left out.
 *
 * `sweepExemptions(store, now)` is the scheduled work (every minute in `serve`, at the start of
 * `replay`, and the handler-ready `exemptionSweep` for a scheduled Lambda).
 */
import type { Control } from '../../core/model/control';
import { severityRank, type Severity } from '../../core/model/severity';
import type { Finding } from '../../core/findings/finding';
import { applySuppression, applyUnsuppression, exemptionEndEventId } from '../../core/findings/transitions';
import { actorNamed } from '../../core/findings/finding';
import type { Notifier } from '../../core/notifications/notifier';
import { notificationOf } from '../../core/notifications/notification';
import { ConcurrentUpdateError, type FindingStore } from '../../core/findings/finding-store';
import {
  coversFinding,
  hasExpired,
  stateOf,
  SWEEP_ACTOR,
  type AuditAction,
  type Exemption,
  type ExemptionAuditEntry,
  type ExemptionRequest,
} from '../../core/exemptions/exemption';

export interface ExemptionDeps {
  store: FindingStore;
  /** Controls by id, for the notifications of reopened findings. */
  controls: readonly Control[];
  /** Where `reopened` notifications go; without one they stay pending on the finding for a sweep that has one. */
  notifier?: Notifier;
  /** Findings below it are settled unsent, as the pipeline does. Default LOW. */
  notifyMinSeverity?: Severity;
  /** The dashboard's base URL, for the link in notifications (settings.findingsUrl). */
  findingsUrl?: string | undefined;
}

async function findingsOfControl(store: FindingStore, controlId: string): Promise<Finding[]> {
  return store.listFindings({ controlId });
}

/** Suppresses the open findings the (active) exemption covers; returns how many it suppressed. */
export async function suppressCovered(store: FindingStore, exemption: Exemption, at: string, actor: string): Promise<number> {
  let suppressed = 0;
  for (const finding of await findingsOfControl(store, exemption.controlId)) {
    if (finding.status !== 'open' || !coversFinding(exemption, finding)) continue;
    const update = await store.updateFinding(finding.id, (current) =>
      coversFinding(exemption, current)
        ? applySuppression(current, { exemptionId: exemption.id, expiresAt: exemption.expiresAt, at, actor: actorNamed(actor), reason: exemption.reason })
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
      return { id, at: exemption.deletedAt!, action, exemptionId: exemption.id, actor: exemption.deletedBy ?? 'unknown', detail: `${scope}; deleted before its expiry ${exemption.expiresAt}` };
    case 'expired':
      return { id, at: exemption.expiresAt, action, exemptionId: exemption.id, actor: SWEEP_ACTOR, detail: `${scope}; expired (recorded ${now.toISOString()}); not extended` };
  }
}

/** The audit actions an exemption's history calls for by now. */
function dueActions(exemption: Exemption, now: Date): AuditAction[] {
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
async function recordOnExemption(store: FindingStore, id: string, now: Date, settledAt?: string): Promise<Exemption | undefined> {
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
export async function createExemption(deps: ExemptionDeps, request: ExemptionRequest, options: CreateOptions): Promise<{ exemption: Exemption; suppressed: number }> {
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
  await deps.store.putExemption(exemption);
  const recorded = (await recordOnExemption(deps.store, exemption.id, options.now)) ?? exemption;
  const suppressed = await suppressCovered(deps.store, exemption, at, options.actor);
  await deps.store.flush();
  return { exemption: recorded, suppressed };
}

/**
 * Soft-deletes an exemption, logs it, and opens its still-suppressed findings again (notified as
 * reopened). Undefined when there is no such exemption; deleting twice reopens nothing more.
 */
export async function deleteExemption(deps: ExemptionDeps, id: string, options: { now: Date; actor: string }): Promise<{ exemption: Exemption; reopened: number } | undefined> {
  const deleted = await deps.store.deleteExemption(id, { at: options.now.toISOString(), by: options.actor });
  if (!deleted) return undefined;
  const { reopened } = await endExemption(deps, deleted, options.now, options.actor);
  const exemption = (await deps.store.getExemption(id)) ?? deleted;
  await deps.store.flush();
  return { exemption, reopened };
}

/**
 * Carries out the end of an expired or deleted exemption: reopens what it still suppresses,
 * sends the notifications owed for its end (also those an earlier, interrupted attempt left),
 * logs it, and marks it settled once nothing is owed.
 */
async function endExemption(deps: ExemptionDeps, exemption: Exemption, now: Date, actor: string): Promise<{ reopened: number; notified: number; failures: unknown[] }> {
  const { store } = deps;
  const why = exemption.deletedAt !== undefined && !hasExpired(exemption, now) ? 'deleted' : 'expired';
  const at = now.toISOString();
  let reopened = 0;
  const owed: Finding[] = [];
  const endEvents = new Set([exemptionEndEventId(exemption.id, 'expired'), exemptionEndEventId(exemption.id, 'deleted')]);
  for (const finding of await findingsOfControl(store, exemption.controlId)) {
    if (finding.status === 'suppressed' && finding.suppressedBy?.exemptionId === exemption.id) {
      const update = await store.updateFinding(finding.id, (current) => applyUnsuppression(current, { exemptionId: exemption.id, why, at, actor: actorNamed(actor) }));
      if (update) {
        reopened += 1;
        owed.push(update.finding);
      }
    } else if (finding.unnotified && endEvents.has(finding.unnotified.eventId)) {
      owed.push(finding);
    }
  }
  await store.flush();
  const failures: unknown[] = [];
  let notified = 0;
  const minimum = severityRank(deps.notifyMinSeverity ?? 'LOW');
  for (const finding of owed) {
    const owedEvent = finding.unnotified?.eventId;
    const control = deps.controls.find((c) => c.id === finding.controlId);
    if (!deps.notifier || owedEvent === undefined || !control) continue;
    if (severityRank(finding.severity) >= minimum) {
      try {
        await deps.notifier.notify(notificationOf('reopened', finding, control, { findingsUrl: deps.findingsUrl }));
        notified += 1;
      } catch (error) {
        failures.push(error);
        continue;
      }
    }
    await store.markNotified(finding.id, owedEvent);
  }
  // Settled once nothing is owed; without a notifier (e.g. the API function), a sweep that has one sends them.
  const settled = failures.length === 0 && (deps.notifier !== undefined || owed.length === 0);
  await recordOnExemption(store, exemption.id, now, settled ? at : undefined);
  return { reopened, notified, failures };
}

export interface SweepResult {
  /** Exemptions whose expiry this sweep logged. */
  expired: string[];
  /** Findings opened again because their exemption ended. */
  reopened: number;
  /** Open findings an active exemption covered and that were not suppressed yet. */
  suppressed: number;
  notified: number;
  /** Notifications that could not be sent (retried by the next sweep). */
  notificationFailures: number;
}

/**
 * The scheduled work: for every exemption, writes the audit entries it is owed (its expiry
 * exactly once), opens again the findings of those that ended, and suppresses the open findings
 * active ones cover that a concurrent writer left open. Idempotent: running it twice changes
 * nothing more. Rejects only when the store fails; notification failures are counted and retried
 * by the next sweep.
 */
export async function sweepExemptions(store: FindingStore, now: Date, options: Omit<ExemptionDeps, 'store'> = { controls: [] }): Promise<SweepResult> {
  const deps: ExemptionDeps = { ...options, store };
  const result: SweepResult = { expired: [], reopened: 0, suppressed: 0, notified: 0, notificationFailures: 0 };
  for (const exemption of await store.listExemptions()) {
    const state = stateOf(exemption, now);
    if (state === 'active') {
      await recordOnExemption(store, exemption.id, now);
      result.suppressed += await suppressCovered(store, exemption, now.toISOString(), SWEEP_ACTOR);
      continue;
    }
    if (exemption.settledAt !== undefined && dueActions(exemption, now).every((a) => exemption.audited?.includes(a))) continue;
    if (hasExpired(exemption, now) && !exemption.audited?.includes('expired')) result.expired.push(exemption.id);
    const ended = await endExemption(deps, exemption, now, SWEEP_ACTOR);
    result.reopened += ended.reopened;
    result.notified += ended.notified;
    result.notificationFailures += ended.failures.length;
  }
  await store.flush();
  return result;
}
