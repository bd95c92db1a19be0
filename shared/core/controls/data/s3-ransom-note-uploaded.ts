import type { Control } from '../../model/control';
import { asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { bucketArn } from '../../kernel/arn';
import { callerEvidenceOf, principalOf } from '../../kernel/principals';
import { S3_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

/** Extensions ransom notes are written with (or none): text and HTML that a person opens. */
const NOTE_EXTENSIONS = new Set(['', 'txt', 'text', 'html', 'htm', 'hta', 'rtf', 'md']);

/**
 * File names ransom notes use, matched on the lower-cased name with separators folded to "_".
 * Each pattern names the extortion itself (decrypting, getting files back, files encrypted or
 * stolen), not only recovery in general: "recovery_instructions" or "readme" alone are ordinary
 * documentation and are not matched.
 */
const NOTE_NAMES: RegExp[] = [
  /how_to_(decrypt|recover|restore|unlock|get_back|return)_(your_|my_|all_|the_)?(files|data)/,
  /(^|_)(decrypt|decryption)_(instructions?|info|readme|read_me|help|note)(_|$)/,
  /(^|_)(readme|read_me|help)_(to|for)_(decrypt|decryption)(_|$)/,
  /(^|_)(your|all)_(files|data)_(are|is|have_been|has_been|were)_(encrypted|locked|stolen)(_|$)/,
  /(^|_)(recover|restore|get_back)_(your|my)_(files|data)(_|$)/,
];

/** The name a note pattern matched, or undefined; `key` is the object key as the request gives it. */
function ransomNoteName(key: string): string | undefined {
  const base = key.split('/').pop() ?? key;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  if (!NOTE_EXTENSIONS.has(extension)) return undefined;
  const stem = (dot > 0 ? base.slice(0, dot) : base)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return NOTE_NAMES.some((pattern) => pattern.test(stem)) ? base : undefined;
}

/**
 * An object uploaded (PutObject) whose name is a ransom note's: "HOW_TO_DECRYPT_FILES.txt",
 * "DECRYPT_INSTRUCTIONS.html", "YOUR_FILES_ARE_ENCRYPTED.txt" and the like. Extortion against S3
 * deletes or re-encrypts the data and leaves such a note in the bucket, often in every prefix; one
 * finding per bucket collects them. A name heuristic, hence MEDIUM. Needs S3 data events.
 */
export const s3RansomNoteUploaded: Control = {
  id: 'data.s3-ransom-note-uploaded',
  area: 'data',
  title: 'Ransom note uploaded to an S3 bucket',
  severity: 'MEDIUM',
  rationale:
    'Attackers who wipe or re-encrypt S3 data leave a note telling the owner how to pay; the note is often the first visible sign of the extortion, and the minutes after it count for stopping further deletions and saving object versions.',
  runbook: [
    'Open the note (`aws s3 cp s3://<bucket>/<key> -`) without acting on it, and identify the uploader (userIdentity, access key, sourceIPAddress): deactivate that access key or revoke the role’s sessions at once (`aws iam update-access-key --user-name <user> --access-key-id <key> --status Inactive`; IAM console → Roles → <role> → Revoke active sessions).',
    'Find what else the principal did to the bucket: DeleteObject(s), CopyObject with SSE-C or a foreign KMS key (data.s3-encrypted-with-foreign-key), PutBucketLifecycleConfiguration, PutBucketVersioning Suspended.',
    'Recover: with versioning on, restore previous versions (`aws s3api list-object-versions --bucket <bucket>`, then copy each version back); otherwise restore from replicas or AWS Backup. Turn on Object Lock or MFA delete for the recovered bucket.',
    'Legitimate file that only looks like a note (documentation, a security test): record it and close the finding.',
  ],
  frameworks: [{ framework: 'nist-800-53-r5', requirement: 'SI-4' }],
  patterns: [apiCallPattern(S3_SOURCE, ['PutObject'])],
  evaluate(event) {
    const request = requestOf(event);
    const bucket = asString(request.bucketName);
    const key = asString(request.key);
    if (!bucket || !key) return [];
    const note = ransomNoteName(key);
    if (!note) return [];
    return [
      {
        resourceId: bucketArn(event, bucket),
        resourceType: 'AWS::S3::Bucket',
        qualifier: 'ransom note',
        message: `An object named like a ransom note (${note}) was uploaded to S3 bucket ${bucket} by ${principalOf(event)}`,
        evidence: {
          bucketName: bucket,
          key,
          bytesTransferredIn: pathGet(recordOf(event), 'additionalEventData.bytesTransferredIn') ?? null,
          userIdentity: callerEvidenceOf(event),
          sourceIPAddress: recordOf(event).sourceIPAddress ?? null,
          userAgent: recordOf(event).userAgent ?? null,
        },
      },
    ];
  },
};
