import type { Control } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asRecord, asString } from '../../kernel/values';
import { recordOf, requestOf } from '../../kernel/records';
import { CONFIG_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';

interface Subject {
  resourceId: string;
  resourceType: string;
  label: string;
}

/** The recorder or delivery channel a Config call is about (request fields per the AWS Config API). */
function subjectOf(event: EventBridgeEvent): Subject | undefined {
  const request = requestOf(event);
  const eventName = recordOf(event).eventName;
  if (eventName === 'DeleteDeliveryChannel' || eventName === 'PutDeliveryChannel') {
    const name = asString(request.deliveryChannelName) ?? asString(asRecord(request.deliveryChannel).name);
    return name
      ? { resourceId: name, resourceType: 'AWS::Config::DeliveryChannel', label: `AWS Config delivery channel ${name}` }
      : undefined;
  }
  const name = asString(request.configurationRecorderName);
  return name ? { resourceId: name, resourceType: 'AWS::Config::ConfigurationRecorder', label: `AWS Config recorder ${name}` } : undefined;
}

const WHAT: Record<string, string> = {
  StopConfigurationRecorder: 'was stopped',
  DeleteConfigurationRecorder: 'was deleted',
  DeleteDeliveryChannel: 'was deleted, so configuration history and snapshots are no longer delivered',
};

/**
 * AWS Config recording turned off in a Region: the configuration recorder stopped or deleted, or the
 * delivery channel deleted. StartConfigurationRecorder (recorder) or PutDeliveryChannel (channel)
 * with the same name resolves it.
 */
export const configRecordingStopped: Control = {
  id: 'audit.config-recording-stopped',
  area: 'audit',
  title: 'AWS Config recording stopped or deleted',
  severity: 'MEDIUM',
  rationale:
    "AWS Config keeps the configuration history that proves what a resource looked like at any time and drives Security Hub's checks; with the recorder stopped, changes in that Region go unrecorded and unevaluated.",
  runbook: [
    "Confirm whether the change was approved; otherwise review the actor's other recent calls, since disabling Config often precedes changes meant to go unseen.",
    'Recorder stopped: AWS Config console → Settings → Recording is off → Turn on; CLI `aws configservice start-configuration-recorder --configuration-recorder-name <name>`.',
    'Recorder or channel deleted: recreate with `aws configservice put-configuration-recorder --configuration-recorder name=<name>,roleARN=<role-arn> --recording-group allSupported=true,includeGlobalResourceTypes=true` and `aws configservice put-delivery-channel --delivery-channel name=<name>,s3BucketName=<bucket>`, then start the recorder.',
    'Deny config:StopConfigurationRecorder, config:DeleteConfigurationRecorder and config:DeleteDeliveryChannel outside a break-glass role with an SCP.',
  ],
  frameworks: [
    { framework: 'cis-aws', requirement: '3.3' },
    { framework: 'cis-aws', requirement: '4.9' },
    { framework: 'fsbp', requirement: 'Config.1' },
    { framework: 'nist-800-53-r5', requirement: 'CM-8' },
    { framework: 'nist-800-53-r5', requirement: 'CM-3' },
  ],
  patterns: [apiCallPattern(CONFIG_SOURCE, ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel'])],
  evaluate(event) {
    const subject = subjectOf(event);
    const eventName = recordOf(event).eventName ?? '';
    if (!subject || !WHAT[eventName]) return [];
    return [
      {
        resourceId: subject.resourceId,
        resourceType: subject.resourceType,
        message: `${subject.label} ${WHAT[eventName]}`,
        evidence: { eventName, ...requestOf(event) },
      },
    ];
  },
  resolution: {
    description: 'StartConfigurationRecorder for the recorder, PutDeliveryChannel for the delivery channel, same name',
    patterns: [apiCallPattern(CONFIG_SOURCE, ['StartConfigurationRecorder', 'PutDeliveryChannel'])],
    resolve(event) {
      const subject = subjectOf(event);
      if (!subject) return [];
      const what = recordOf(event).eventName === 'PutDeliveryChannel' ? 'is configured again' : 'is recording again';
      return [{ resourceId: subject.resourceId, message: `${subject.label} ${what}` }];
    },
  },
};
