import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asNumber, asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn, resourceNameOf } from '../../kernel/arn';
import { madeByCloudFormation } from '../../kernel/principals';
import { DYNAMODB_SOURCE, EVENTS_SOURCE, LAMBDA_SOURCE, SNS_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { isTrailwardenName, TRAILWARDEN_PREFIX } from './support';

/** Lambda logs its API calls with the API version in the event name. */
const LAMBDA_EVENTS = {
  deleteFunction: 'DeleteFunction20150331',
  createFunction: 'CreateFunction20150331',
  updateCode: 'UpdateFunctionCode20150331v2',
  updateConfiguration: 'UpdateFunctionConfiguration20150331v2',
  putConcurrency: 'PutFunctionConcurrency20171031',
  deleteConcurrency: 'DeleteFunctionConcurrency20171031',
  removePermission: 'RemovePermission20150331v2',
  addPermission: 'AddPermission20150331v2',
} as const;

/** The Lambda calls that can break one of trailwarden's functions, and those that can restore it. */
const LAMBDA_BREAKING = [
  LAMBDA_EVENTS.deleteFunction,
  LAMBDA_EVENTS.putConcurrency,
  LAMBDA_EVENTS.updateCode,
  LAMBDA_EVENTS.updateConfiguration,
  LAMBDA_EVENTS.removePermission,
];
const LAMBDA_RESTORING = [
  LAMBDA_EVENTS.createFunction,
  LAMBDA_EVENTS.putConcurrency,
  LAMBDA_EVENTS.deleteConcurrency,
  LAMBDA_EVENTS.updateCode,
  LAMBDA_EVENTS.updateConfiguration,
  LAMBDA_EVENTS.addPermission,
];

interface Target {
  resourceId: string;
  resourceType: string;
  label: string;
}

/** EventBridge rule ARN: rule/<name> on the default bus, rule/<bus>/<name> on a custom bus. */
function ruleTarget(event: EventBridgeEvent, name: string | undefined): Target | undefined {
  if (!isTrailwardenName(name)) return undefined;
  const bus = asString(requestOf(event).eventBusName);
  const busName = bus ? resourceNameOf(bus) : 'default';
  const path = busName === 'default' ? `rule/${name}` : `rule/${busName}/${name}`;
  return { resourceId: arnIn(event, 'events', path), resourceType: 'AWS::Events::Rule', label: `EventBridge rule ${name}` };
}

function functionTarget(event: EventBridgeEvent): Target | undefined {
  const raw = asString(requestOf(event).functionName);
  // functionName may be a name, a partial ARN (account:function:name) or a full ARN, possibly with a qualifier.
  const name = raw?.includes(':function:') ? raw.split(':function:')[1]!.split(':')[0] : raw;
  if (!isTrailwardenName(name)) return undefined;
  return {
    resourceId: arnIn(event, 'lambda', `function:${name}`),
    resourceType: 'AWS::Lambda::Function',
    label: `Lambda function ${name}`,
  };
}

function tableTarget(event: EventBridgeEvent): Target | undefined {
  const raw = asString(requestOf(event).tableName);
  const name = raw ? resourceNameOf(raw) : undefined;
  if (!isTrailwardenName(name)) return undefined;
  return { resourceId: arnIn(event, 'dynamodb', `table/${name}`), resourceType: 'AWS::DynamoDB::Table', label: `DynamoDB table ${name}` };
}

function topicTarget(event: EventBridgeEvent): Target | undefined {
  const arn = asString(requestOf(event).topicArn) ?? asString(responseOf(event).topicArn);
  const name = arn ? arn.slice(arn.lastIndexOf(':') + 1) : asString(requestOf(event).name);
  if (!isTrailwardenName(name)) return undefined;
  return { resourceId: arnIn(event, 'sns', name), resourceType: 'AWS::SNS::Topic', label: `SNS topic ${name}` };
}

interface Finding {
  target: Target;
  qualifier: string;
  message: string;
  evidence: Record<string, unknown>;
}

/** What a tampering call did to which trailwarden resource, or undefined when it is not tampering. */
/** One of trailwarden's own stores deleted: the findings table or the notifications topic. */
function deletion(target: Target | undefined, holding: string, evidence: Record<string, unknown>): Finding | undefined {
  return target && { target, qualifier: 'deleted', message: `${target.label} (trailwarden's ${holding}) was deleted`, evidence };
}

function tamperingOf(event: EventBridgeEvent): Finding | undefined {
  const request = requestOf(event);
  const eventName = recordOf(event).eventName;
  const byStack = madeByCloudFormation(event);
  switch (eventName) {
    case 'DisableRule':
    case 'DeleteRule': {
      const target = ruleTarget(event, asString(request.name));
      const qualifier = eventName === 'DisableRule' ? 'disabled' : 'deleted';
      return target && { target, qualifier, message: `${target.label} was ${qualifier}`, evidence: { eventName, name: request.name } };
    }
    case 'PutRule': {
      const target = ruleTarget(event, asString(request.name));
      if (!target || asString(request.state) !== 'DISABLED') return undefined;
      return {
        target,
        qualifier: 'disabled',
        message: `${target.label} was set to DISABLED`,
        evidence: { eventName, name: request.name, state: request.state },
      };
    }
    case 'RemoveTargets': {
      const target = byStack ? undefined : ruleTarget(event, asString(request.rule));
      return (
        target && {
          target,
          qualifier: 'targets-removed',
          message: `Targets ${asArray(request.ids).join(', ')} were removed from ${target.label}`,
          evidence: { eventName, rule: request.rule, ids: request.ids ?? null },
        }
      );
    }
    case LAMBDA_EVENTS.deleteFunction: {
      const target = functionTarget(event);
      return (
        target && {
          target,
          qualifier: 'deleted',
          message: `${target.label} was deleted`,
          evidence: { eventName, functionName: request.functionName },
        }
      );
    }
    case LAMBDA_EVENTS.putConcurrency: {
      const target = functionTarget(event);
      if (!target || asNumber(request.reservedConcurrentExecutions) !== 0) return undefined;
      return {
        target,
        qualifier: 'throttled',
        message: `${target.label} was throttled to zero reserved concurrency, so it no longer runs`,
        evidence: { eventName, functionName: request.functionName, reservedConcurrentExecutions: request.reservedConcurrentExecutions },
      };
    }
    case LAMBDA_EVENTS.updateCode:
    case LAMBDA_EVENTS.updateConfiguration: {
      const target = byStack ? undefined : functionTarget(event);
      const code = eventName === LAMBDA_EVENTS.updateCode;
      return (
        target && {
          target,
          qualifier: code ? 'code-changed' : 'configuration-changed',
          message: `${target.label} ${code ? 'code' : 'configuration'} was changed outside its CloudFormation deployment`,
          evidence: code
            ? { eventName, functionName: request.functionName, codeSha256: responseOf(event).codeSha256 ?? null }
            : { eventName, functionName: request.functionName, changed: Object.keys(request).filter((key) => key !== 'functionName') },
        }
      );
    }
    case LAMBDA_EVENTS.removePermission: {
      const target = byStack ? undefined : functionTarget(event);
      return (
        target && {
          target,
          qualifier: 'permission-removed',
          message: `Invoke permission${asString(request.statementId) ? ` ${asString(request.statementId)}` : ''} was removed from ${target.label}`,
          evidence: { eventName, functionName: request.functionName, statementId: request.statementId ?? null },
        }
      );
    }
    case 'DeleteTable':
      return deletion(tableTarget(event), 'findings', { eventName, tableName: request.tableName });
    case 'DeleteTopic':
      return deletion(topicTarget(event), 'notifications', { eventName, topicArn: request.topicArn });
    default:
      return undefined;
  }
}

const RESTORED: Record<string, string> = {
  disabled: 'is enabled again',
  deleted: 'exists again',
  'targets-removed': 'has targets again',
  throttled: 'can run again',
  'code-changed': 'code was redeployed by CloudFormation',
  'configuration-changed': 'configuration was redeployed by CloudFormation',
  'permission-removed': 'has an invoke permission again',
};

/** The findings a restoring call resolves: [target, qualifiers]. */
function restorationOf(event: EventBridgeEvent): { target: Target; qualifiers: string[] } | undefined {
  const request = requestOf(event);
  const eventName = recordOf(event).eventName;
  switch (eventName) {
    case 'EnableRule': {
      const target = ruleTarget(event, asString(request.name));
      return target && { target, qualifiers: ['disabled'] };
    }
    case 'PutRule': {
      const target = ruleTarget(event, asString(request.name));
      // State defaults to ENABLED when PutRule omits it.
      if (!target || (asString(request.state) ?? 'ENABLED') !== 'ENABLED') return undefined;
      return { target, qualifiers: ['disabled', 'deleted'] };
    }
    case 'PutTargets': {
      const target = ruleTarget(event, asString(request.rule));
      return target && { target, qualifiers: ['targets-removed'] };
    }
    case LAMBDA_EVENTS.createFunction: {
      const target = functionTarget(event);
      return target && { target, qualifiers: ['deleted'] };
    }
    case LAMBDA_EVENTS.putConcurrency:
    case LAMBDA_EVENTS.deleteConcurrency: {
      const target = functionTarget(event);
      if (!target || (eventName === LAMBDA_EVENTS.putConcurrency && (asNumber(request.reservedConcurrentExecutions) ?? 0) < 1))
        return undefined;
      return { target, qualifiers: ['throttled'] };
    }
    case LAMBDA_EVENTS.updateCode:
    case LAMBDA_EVENTS.updateConfiguration: {
      // A redeployment through CloudFormation puts the reviewed code and configuration back.
      const target = madeByCloudFormation(event) ? functionTarget(event) : undefined;
      return target && { target, qualifiers: [eventName === LAMBDA_EVENTS.updateCode ? 'code-changed' : 'configuration-changed'] };
    }
    case LAMBDA_EVENTS.addPermission: {
      const target = functionTarget(event);
      return target && { target, qualifiers: ['permission-removed'] };
    }
    case 'CreateTable': {
      const target = tableTarget(event);
      return target && { target, qualifiers: ['deleted'] };
    }
    case 'CreateTopic': {
      const target = topicTarget(event);
      return target && { target, qualifiers: ['deleted'] };
    }
    default:
      return undefined;
  }
}

/**
 * Tampering with trailwarden itself, recognised by the `trailwarden-` name prefix of its resources:
 * its EventBridge rules disabled, deleted or stripped of targets; its Lambda functions deleted,
 * throttled to zero, stripped of invoke permissions or changed outside CloudFormation; its DynamoDB
 * findings table or SNS notification topic deleted. Changes CloudFormation makes while deploying the
 * stack are not tampering (deletions and disabling are reported whoever makes them).
 */
export const trailwardenTampering: Control = {
  id: 'audit.trailwarden-tampering',
  area: 'audit',
  title: 'Trailwarden pipeline tampered with',
  severity: 'HIGH',
  rationale:
    "An intruder who can silence the monitoring pipeline can then break every other control unseen; changes to trailwarden's own rules, functions, table and topic outside its deployment are the monitoring equivalent of stopping CloudTrail.",
  runbook: [
    `Identify the actor (userIdentity, sourceIPAddress) and confirm whether an operator changed trailwarden outside the pipeline; if not, treat the credentials as compromised.`,
    `Redeploy trailwarden from its reviewed source (the stack restores rules, targets, permissions, code and configuration), e.g. \`npx serverless deploy --stage <stage>\` or re-run the stack's CloudFormation update.`,
    `Rule disabled: EventBridge console → Rules → <${TRAILWARDEN_PREFIX}…> → Enable; CLI \`aws events enable-rule --name <rule>\`. Function throttled: \`aws lambda delete-function-concurrency --function-name <function>\`.`,
    `Protect the stack: an SCP denying events:DisableRule/DeleteRule/RemoveTargets, lambda:Delete*/Update*/PutFunctionConcurrency, dynamodb:DeleteTable and sns:DeleteTopic on ${TRAILWARDEN_PREFIX}* resources to everyone but the deployment role, plus CloudFormation stack termination protection.`,
  ],
  frameworks: [
    { framework: 'nist-800-53-r5', requirement: 'SI-4' },
    { framework: 'nist-800-53-r5', requirement: 'AU-9' },
    { framework: 'pci-dss-4.0', requirement: '10.7.2' },
  ],
  patterns: [
    apiCallPattern(EVENTS_SOURCE, ['DisableRule', 'DeleteRule', 'PutRule', 'RemoveTargets']),
    apiCallPattern(LAMBDA_SOURCE, LAMBDA_BREAKING),
    apiCallPattern(DYNAMODB_SOURCE, ['DeleteTable']),
    apiCallPattern(SNS_SOURCE, ['DeleteTopic']),
  ],
  evaluate(event) {
    const found = tamperingOf(event);
    if (!found) return [];
    const violation: Violation = {
      resourceId: found.target.resourceId,
      resourceType: found.target.resourceType,
      qualifier: found.qualifier,
      message: found.message,
      evidence: found.evidence,
    };
    return [violation];
  },
  resolution: {
    description:
      'The restoring call for the same resource: EnableRule / PutRule ENABLED / PutTargets, CreateFunction, concurrency restored, AddPermission, a CloudFormation redeployment of the function, CreateTable, CreateTopic',
    patterns: [
      apiCallPattern(EVENTS_SOURCE, ['EnableRule', 'PutRule', 'PutTargets']),
      apiCallPattern(LAMBDA_SOURCE, LAMBDA_RESTORING),
      apiCallPattern(DYNAMODB_SOURCE, ['CreateTable']),
      apiCallPattern(SNS_SOURCE, ['CreateTopic']),
    ],
    resolve(event) {
      const restored = restorationOf(event);
      if (!restored) return [];
      return restored.qualifiers.map(
        (qualifier): Resolution => ({
          resourceId: restored.target.resourceId,
          qualifier,
          message: `${restored.target.label} ${RESTORED[qualifier] ?? 'was restored'}`,
        }),
      );
    },
  },
};
