/**
 * Exemptions: an auditor-approved acceptance of a control's violations, for some accounts and
 * resources, until a fixed date. Pure: state, matching, validation of a new exemption.
 *
 * An exemption is never edited after it is created except to record what happened to it
 * (soft deletion, the audit actions written, its end settled): in particular `expiresAt` never
 * moves, so an expired exemption is never extended — a new one must be approved.
 */
import type { Finding } from '../findings/finding';
import { futureDateTime, objectWithFields, type ValidationIssue } from '../model/validation';

export const EXEMPTION_STATES = ['active', 'expired', 'deleted'] as const;
export type ExemptionState = (typeof EXEMPTION_STATES)[number];

export const AUDIT_ACTIONS = ['created', 'deleted', 'expired'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The longest an exemption may run. */
export const MAX_EXEMPTION_DAYS = 365;

export interface Exemption {
  id: string;
  controlId: string;
  /** Only these accounts; all accounts when absent. */
  accounts?: string[];
  /** Only resources whose id matches this glob (`*`: any run of characters); all when absent. */
  resourcePattern?: string;
  reason: string;
  approver: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  deletedAt?: string;
  deletedBy?: string;
  /** Audit entries known written for it (a crash before this is recorded is repaired by the sweep). */
  audited?: AuditAction[];
  /** When its end (expiry or deletion) was fully carried out: findings reopened and notified. */
  settledAt?: string;
  /** Bumped on every write; stores use it for conditional writes. */
  version: number;
}

/** One line of the append-only exemption audit log. Unique per exemption and action. */
export interface ExemptionAuditEntry {
  /** `<exemptionId>:<action>`: each action happens at most once to an exemption. */
  id: string;
  /** When it happened: created → createdAt, deleted → deletedAt, expired → expiresAt. */
  at: string;
  action: AuditAction;
  exemptionId: string;
  actor: string;
  detail: string;
}

/** Who the sweep acts as. */
export const SWEEP_ACTOR = 'trailwarden (exemption sweep)';

export function stateOf(exemption: Exemption, now: Date): ExemptionState {
  if (exemption.deletedAt !== undefined) return 'deleted';
  return Date.parse(exemption.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

/** Whether it expired on its own: it reached its expiry before anyone deleted it. */
export function hasExpired(exemption: Exemption, now: Date): boolean {
  const expiry = Date.parse(exemption.expiresAt);
  if (expiry > now.getTime()) return false;
  return exemption.deletedAt === undefined || Date.parse(exemption.deletedAt) >= expiry;
}

/**
 * Matches `text` against `pattern`, where `*` stands for any run of characters (none included)
 * and every other character for itself. Linear-time two-pointer matching: no regular expression
 * is built from the pattern, so no pattern can be slow or mean anything else.
 */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      p += 1;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** Whether the exemption covers the finding (its state aside). */
export function coversFinding(exemption: Exemption, finding: Pick<Finding, 'controlId' | 'account' | 'resourceId'>): boolean {
  return (
    exemption.controlId === finding.controlId &&
    (exemption.accounts === undefined || exemption.accounts.includes(finding.account)) &&
    (exemption.resourcePattern === undefined || globMatches(exemption.resourcePattern, finding.resourceId))
  );
}

/** The first active exemption covering the finding, if any (the one expiring last, for the longest acceptance). */
export function activeExemptionFor(
  exemptions: readonly Exemption[],
  finding: Pick<Finding, 'controlId' | 'account' | 'resourceId'>,
  now: Date,
): Exemption | undefined {
  let chosen: Exemption | undefined;
  for (const exemption of exemptions) {
    if (stateOf(exemption, now) !== 'active' || !coversFinding(exemption, finding)) continue;
    if (!chosen || exemption.expiresAt > chosen.expiresAt) chosen = exemption;
  }
  return chosen;
}

/** Soft deletion (pure): records who deleted it and when; undefined when it is deleted already. */
export function softDeleted(exemption: Exemption, deletion: { at: string; by: string }): Exemption | undefined {
  if (exemption.deletedAt !== undefined) return undefined;
  return { ...exemption, deletedAt: deletion.at, deletedBy: deletion.by, version: exemption.version + 1 };
}

/** The order exemptions are listed in: oldest first, then by id (every adapter's). */
export function byCreation(a: Exemption, b: Exemption): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The audit log's order: by time, then entry id (every adapter's). */
export function byAuditOrder(a: { at: string; id: string }, b: { at: string; id: string }): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What the API and the audit log show: the exemption without its bookkeeping, with its state. */
export type ExemptionView = Omit<Exemption, 'audited' | 'settledAt' | 'version'> & { state: ExemptionState };

export function viewOf(exemption: Exemption, now: Date): ExemptionView {
  const { audited: _audited, settledAt: _settledAt, version: _version, ...shown } = exemption;
  return { ...shown, ...(shown.accounts !== undefined ? { accounts: [...shown.accounts] } : {}), state: stateOf(exemption, now) };
}

// ---------------------------------------------------------------------------------------------
// Validation of a new exemption (the API's POST body).

export interface ExemptionRequest {
  controlId: string;
  accounts?: string[];
  resourcePattern?: string;
  reason: string;
  approver: string;
  expiresAt: string;
}

export const MAX_REASON_LENGTH = 2000;
export const MAX_NAME_LENGTH = 256;
export const MAX_PATTERN_LENGTH = 1024;
export const MAX_ACCOUNTS = 100;

const FIELDS = ['controlId', 'accounts', 'resourcePattern', 'reason', 'approver', 'expiresAt'] as const;
const ACCOUNT = /^\d{12}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function text(body: Record<string, unknown>, field: string, max: number, issues: ValidationIssue[], optional = false): string | undefined {
  const value = body[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') {
    issues.push({ parameter: field, reason: value === undefined ? 'required' : 'must be a string' });
    return undefined;
  }
  if (value.trim() === '') issues.push({ parameter: field, reason: 'must not be empty' });
  else if (value.length > max) issues.push({ parameter: field, reason: `must be at most ${max} characters` });
  else if (CONTROL_CHARACTERS.test(value) && field !== 'reason')
    issues.push({ parameter: field, reason: 'must not contain control characters' });
  return value;
}

/**
 * Checks a requested exemption: known control, 12-digit accounts, a `*` glob, non-empty reason and
 * approver, and an expiry in the future and at most 365 days ahead. Unknown fields are refused.
 * Returns the first issue (the API answers one at a time), or the normalized request.
 */
export function validateExemptionRequest(
  body: unknown,
  now: Date,
  knownControlIds: ReadonlySet<string>,
): { request: ExemptionRequest } | { issue: ValidationIssue } {
  const checked = objectWithFields(body, FIELDS);
  if ('issue' in checked) return checked;
  const { record } = checked;
  const issues: ValidationIssue[] = [];
  const controlId = text(record, 'controlId', MAX_NAME_LENGTH, issues);
  if (issues.length === 0 && !knownControlIds.has(controlId!)) issues.push({ parameter: 'controlId', reason: 'not a known control id' });
  if (issues.length > 0) return { issue: issues[0]! };

  let accounts: string[] | undefined;
  if (record.accounts !== undefined) {
    const value = record.accounts;
    if (!Array.isArray(value) || value.length === 0)
      return { issue: { parameter: 'accounts', reason: 'must be a non-empty array of 12-digit account ids' } };
    if (value.length > MAX_ACCOUNTS) return { issue: { parameter: 'accounts', reason: `must list at most ${MAX_ACCOUNTS} accounts` } };
    for (const [i, account] of value.entries()) {
      if (typeof account !== 'string' || !ACCOUNT.test(account))
        return { issue: { parameter: `accounts[${i}]`, reason: 'must be a 12-digit account id' } };
    }
    accounts = [...new Set(value as string[])];
  }

  const resourcePattern = text(record, 'resourcePattern', MAX_PATTERN_LENGTH, issues, true);
  if (issues.length > 0) return { issue: issues[0]! };
  if (resourcePattern !== undefined && /^\*+$/.test(resourcePattern)) {
    return { issue: { parameter: 'resourcePattern', reason: 'must name resources (omit it to cover every resource of the control)' } };
  }
  const reason = text(record, 'reason', MAX_REASON_LENGTH, issues);
  const approver = text(record, 'approver', MAX_NAME_LENGTH, issues);
  if (issues.length > 0) return { issue: issues[0]! };

  const expiresAt = futureDateTime('expiresAt', record.expiresAt, now, MAX_EXEMPTION_DAYS, '2026-12-31T23:59:59Z');
  if ('issue' in expiresAt) return expiresAt;

  return {
    request: {
      controlId: controlId!,
      ...(accounts ? { accounts } : {}),
      ...(resourcePattern !== undefined ? { resourcePattern } : {}),
      reason: reason!.trim(),
      approver: approver!.trim(),
      expiresAt: expiresAt.value,
    },
  };
}
