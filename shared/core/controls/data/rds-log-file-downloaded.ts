import type { Control } from '../../model/control';
import { asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { RDS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { dbInstanceArn, madeByAwsService } from './support';

/**
 * Activity record: a database log file read through the RDS API (DownloadDBLogFilePortion, and
 * DownloadCompleteDBLogFile where CloudTrail records it). One finding per DB instance, log file and
 * principal, so a reader paging through a file with markers makes one record. Listing log files
 * (DescribeDBLogFiles) reveals no content and is not recorded. INFORMATIONAL: recorded for
 * auditors (PCI DSS asks that every access to audit logs be logged), not notified by default.
 */
export const rdsLogFileDownloaded: Control = {
  id: 'data.rds-log-file-downloaded',
  area: 'data',
  title: 'RDS database log file downloaded (activity record)',
  severity: 'INFORMATIONAL',
  rationale:
    'Database logs hold audit trails, query text, client addresses and sometimes credentials typed into failed logins; reading them is routine DBA work, but access to audit logs must itself be on record, and a reader outside the DBA team or from an unknown address is how reconnaissance and evidence-gathering by an intruder look.',
  runbook: [
    'Check that the caller (userIdentity, sourceIPAddress) is on the team that operates this database and that the file (logFileName) fits their task; audit logs (e.g. audit/server_audit.log, pgaudit output) should be read by the audit or security team only.',
    'Restrict rds:DownloadDBLogFilePortion and rds:DownloadCompleteDBLogFile to the DBA and audit roles, and publish logs to CloudWatch Logs instead (RDS console → <db> → Modify → Log exports; CLI `aws rds modify-db-instance --db-instance-identifier <db> --cloudwatch-logs-export-configuration EnableLogTypes=audit,error`) where access can be scoped per log group.',
    'Unknown reader: treat the principal’s credentials as compromised and rotate any database passwords that the log could have exposed.',
  ],
  frameworks: [
    { framework: 'pci-dss-4.0', requirement: '10.2.1.3' },
    { framework: 'pci-dss-4.0', requirement: '10.3.1' },
    { framework: 'nist-800-53-r5', requirement: 'AU-9' },
  ],
  patterns: [apiCallPattern(RDS_SOURCE, ['DownloadDBLogFilePortion', 'DownloadCompleteDBLogFile'])],
  evaluate(event) {
    if (madeByAwsService(event)) return [];
    const request = requestOf(event);
    const id = asString(request.dBInstanceIdentifier);
    const logFile = asString(request.logFileName);
    if (!id || !logFile) return [];
    const principal = principalOf(event);
    return [
      {
        resourceId: dbInstanceArn(event, id),
        resourceType: 'AWS::RDS::DBInstance',
        qualifier: `log ${logFile} read by ${principal}`,
        message: `Log file ${logFile} of RDS DB instance ${id} was downloaded by ${principal}`,
        evidence: {
          dBInstanceIdentifier: id,
          logFileName: logFile,
          numberOfLines: request.numberOfLines ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
          userAgent: recordOf(event).userAgent ?? null,
        },
      },
    ];
  },
};
