/** Findings and controls for export and report tests. */
import type { Finding } from '../../shared/core/findings/finding';
import { findingIdOf } from '../../shared/core/findings/finding-id';
import type { Control } from '../../shared/core/model/control';
import type { FrameworkRef } from '../../shared/core/model/framework';

export function finding(overrides: Partial<Finding> = {}): Finding {
  const key = {
    controlId: overrides.controlId ?? 'network.security-group-open-to-internet',
    account: overrides.account ?? '111122223333',
    region: overrides.region ?? 'eu-west-1',
    resourceId: overrides.resourceId ?? 'sg-0123456789abcdef0',
    ...(overrides.qualifier !== undefined ? { qualifier: overrides.qualifier } : {}),
  };
  return {
    id: findingIdOf(key),
    area: 'network',
    title: 'Security group open to the internet',
    severity: 'HIGH',
    status: 'open',
    resourceType: 'AWS::EC2::SecurityGroup',
    message: `${key.resourceId} opens tcp/22 to 0.0.0.0/0`,
    firstSeen: '2025-01-02T03:04:05.000Z',
    lastSeen: '2025-01-03T03:04:05.000Z',
    count: 1,
    evidence: {
      eventId: 'e-1',
      eventTime: '2025-01-03T03:04:05.000Z',
      eventName: 'AuthorizeSecurityGroupIngress',
      detailType: 'AWS API Call via CloudTrail',
      actor: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' },
      sourceIp: '203.0.113.10',
      fields: { ipPermissions: [{ fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }] },
    },
    version: 1,
    ...key,
    ...overrides,
  };
}

export function control(id: string, frameworks: FrameworkRef[], overrides: Partial<Control> = {}): Control {
  return {
    id,
    area: 'network',
    title: `Title of ${id}`,
    severity: 'HIGH',
    rationale: 'Why it matters.',
    runbook: ['Step one.', 'Step two.'],
    frameworks,
    patterns: [{ source: ['aws.ec2'] }],
    evaluate: () => [],
    ...overrides,
  };
}

/** A strict RFC 4180 reader: CRLF record separators, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += text[i];
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} in unquoted field at ${i}`);
        field += text[i];
        i += 1;
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
    }
  }
  if (record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}
