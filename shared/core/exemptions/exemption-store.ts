/** The exemptions port: accepted risks and their append-only audit log. */
import type { Exemption, ExemptionAuditEntry } from './exemption';

/** A conditional write lost to a concurrent writer: re-read and decide again. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

export interface ExemptionStore {
  /**
   * Writes an exemption: creates it when `version` is 1 (rejecting an existing id), otherwise
   * replaces the stored one only if its version is `version - 1`. Rejects with
   * ConcurrentUpdateError when the condition fails. Durable when it resolves.
   */
  putExemption(exemption: Exemption): Promise<void>;
  getExemption(id: string): Promise<Exemption | undefined>;
  /** Every exemption ever created (deleted ones included), oldest first. */
  listExemptions(): Promise<Exemption[]>;
  /**
   * Soft deletion: records `deletedAt`/`deletedBy` and keeps the exemption. Returns the stored
   * exemption (unchanged when it was deleted already), or undefined when there is none.
   */
  deleteExemption(id: string, deletion: { at: string; by: string }): Promise<Exemption | undefined>;
  /** Appends to the audit log, once per entry id: false (and nothing written) when it is there already. */
  appendAudit(entry: ExemptionAuditEntry): Promise<boolean>;
  /** The audit log, oldest first. Nothing edits or removes an entry. */
  listAudit(): Promise<ExemptionAuditEntry[]>;
}
