/** Compliance frameworks a control can map to. Requirement ids are as the standard writes them. */
export const FRAMEWORKS = {
  'cis-aws': 'CIS Amazon Web Services Foundations Benchmark v3.0.0',
  fsbp: 'AWS Foundational Security Best Practices',
  'pci-dss-4.0': 'PCI DSS v4.0',
  hipaa: 'HIPAA Security Rule (45 CFR Part 164 Subpart C)',
  'nist-800-53-r5': 'NIST SP 800-53 Rev. 5',
  gdpr: 'GDPR',
} as const;
export type FrameworkId = keyof typeof FRAMEWORKS;

export interface FrameworkRef {
  framework: FrameworkId;
  /** e.g. "3.1" (CIS), "EC2.19" (FSBP), "10.2.1.2" (PCI), "164.312(b)" (HIPAA), "AU-12" (NIST), "Art. 32(1)(b)" (GDPR) */
  requirement: string;
}

export function isFrameworkId(value: unknown): value is FrameworkId {
  return typeof value === 'string' && (Object.keys(FRAMEWORKS) as string[]).includes(value);
}
