/** In-memory ExemptionStore, for unit tests and dry runs. */
import { byAuditOrder, byCreation, softDeleted, type Exemption, type ExemptionAuditEntry } from '../../../core/exemptions/exemption';
import { ConcurrentUpdateError, type ExemptionStore } from '../../../core/exemptions/exemption-store';

export class MemoryExemptionStore implements ExemptionStore {
  private readonly exemptions = new Map<string, Exemption>();
  private readonly audit: ExemptionAuditEntry[] = [];

  async putExemption(exemption: Exemption): Promise<void> {
    const stored = this.exemptions.get(exemption.id);
    if (exemption.version === 1 ? stored !== undefined : stored?.version !== exemption.version - 1) {
      throw new ConcurrentUpdateError(`exemption ${exemption.id}: changed by another writer`);
    }
    this.exemptions.set(exemption.id, structuredClone(exemption));
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const exemption = this.exemptions.get(id);
    return exemption && structuredClone(exemption);
  }

  async listExemptions(): Promise<Exemption[]> {
    return structuredClone([...this.exemptions.values()].sort(byCreation));
  }

  async deleteExemption(id: string, deletion: { at: string; by: string }): Promise<Exemption | undefined> {
    const stored = this.exemptions.get(id);
    if (!stored) return undefined;
    const deleted = softDeleted(stored, deletion);
    if (deleted) this.exemptions.set(id, deleted);
    return structuredClone(deleted ?? stored);
  }

  async appendAudit(entry: ExemptionAuditEntry): Promise<boolean> {
    if (this.audit.some((e) => e.id === entry.id)) return false;
    this.audit.push(structuredClone(entry));
    return true;
  }

  async listAudit(): Promise<ExemptionAuditEntry[]> {
    return structuredClone([...this.audit].sort(byAuditOrder));
  }
}
