/** Control metadata looked up by id, for exports and reports (a finding names its control by id only). */
import type { Control } from '../../core/model/control';
import { FRAMEWORKS, type FrameworkRef } from '../../core/model/framework';
import type { Finding } from '../../core/findings/finding';

export type ControlCatalogue = ReadonlyMap<string, Control>;

export function catalogueOf(controls: readonly Control[]): ControlCatalogue {
  return new Map(controls.map((control) => [control.id, control]));
}

/** "CIS Amazon Web Services Foundations Benchmark v3.0.0 5.2" — a requirement as a person reads it. */
export function requirementLabel(ref: FrameworkRef): string {
  return `${FRAMEWORKS[ref.framework]} ${ref.requirement}`;
}

/** The AWS partition a region belongs to. */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Cuts text to at most `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The exemption that suppresses a finding, when the exemptions feature recorded one. */
export function suppressionOf(finding: Finding): { exemptionId: string; expiresAt: string } | undefined {
  const suppressedBy = (finding as Finding & { suppressedBy?: unknown }).suppressedBy;
  if (typeof suppressedBy !== 'object' || suppressedBy === null) return undefined;
  const { exemptionId, expiresAt } = suppressedBy as Record<string, unknown>;
  return typeof exemptionId === 'string' && typeof expiresAt === 'string' ? { exemptionId, expiresAt } : undefined;
}
