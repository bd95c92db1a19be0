import type { Control } from '../../model/control';
import { asRecord, asString } from '../../kernel/values';
import { recordOf } from '../../kernel/records';
import { ec2RequestField, ec2ResponseField } from '../../kernel/ec2';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { EC2_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { INSTANCE_TYPE } from './support';

/**
 * An instance exported as a virtual machine image to S3 (CreateInstanceExportTask, VM
 * Import/Export). The export is a full copy of the instance's disks — file systems, keys, data,
 * container images and their secrets — written to a bucket the caller names, from where it can be
 * downloaded or copied to another account. Exports are rare outside migrations. The finding is on
 * the instance; it is closed by hand once the export is accounted for (CancelExportTask names the
 * task, not the instance).
 */
export const instanceExported: Control = {
  id: 'host.instance-exported',
  area: 'host',
  title: 'EC2 instance exported as a VM image',
  severity: 'MEDIUM',
  rationale:
    'Exporting an instance copies everything on its disks into an S3 object a person can download or share; it is a way to take a whole host — and the credentials and data it holds — out of the account in one call.',
  runbook: [
    'Confirm with the instance owner that the export is part of a migration (userIdentity, sourceIPAddress); check the destination bucket and its owner in the evidence.',
    'If not, cancel it while it runs (`aws ec2 cancel-export-task --export-task-id <export-task-id>`; `aws ec2 describe-export-tasks` lists them), delete the exported object from the bucket, and review who read it (S3 server access logs or data events).',
    'Restrict ec2:CreateInstanceExportTask with an SCP to the migration roles.',
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'AC-4' },
    { framework: 'nist-800-53-r5', requirement: 'SC-7' },
  ],
  attack: ['T1537', 'T1005'],
  patterns: [apiCallPattern(EC2_SOURCE, ['CreateInstanceExportTask'])],
  evaluate(event) {
    const instanceId = asString(ec2RequestField(event, 'instanceId'));
    if (!instanceId) return [];
    const destination = asRecord(ec2RequestField(event, 'exportToS3') ?? ec2RequestField(event, 'exportToS3Task'));
    const bucket =
      asString(destination.s3Bucket ?? destination.S3Bucket) ?? asString(ec2ResponseField(event, 'exportTask.exportToS3Task.s3Bucket'));
    const exportTaskId = asString(ec2ResponseField(event, 'exportTask.exportTaskId'));
    return [
      {
        resourceId: instanceId,
        resourceType: INSTANCE_TYPE,
        ...(exportTaskId ? { qualifier: `export task ${exportTaskId}` } : {}),
        message: `Instance ${instanceId} is being exported as a VM image${bucket ? ` to S3 bucket ${bucket}` : ''} by ${principalOf(event)}`,
        evidence: {
          instanceId,
          targetEnvironment: ec2RequestField(event, 'targetEnvironment') ?? null,
          s3Bucket: bucket ?? null,
          exportTaskId: exportTaskId ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
        },
      },
    ];
  },
};
