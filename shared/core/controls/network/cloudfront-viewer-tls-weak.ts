import type { Control, Resolution, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString, pathGet } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { arnIn } from '../../kernel/arn';
import { CLOUDFRONT_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { IN_TRANSIT_ENCRYPTION_FRAMEWORKS } from './support';

/** Viewer security policies that still accept SSLv3, TLS 1.0 or TLS 1.1. */
const WEAK_VIEWER_POLICIES = new Set(['SSLv3', 'TLSv1', 'TLSv1_2016', 'TLSv1.1_2016']);

const WEAK_TLS = 'viewer-tls-below-1.2';
const PLAIN_HTTP = 'viewer-plain-http';

/**
 * The distribution configuration as it stands after the call: the one the response returns, else
 * the one the request sent (CreateDistributionWithTags nests it under distributionConfigWithTags).
 */
function configOf(event: EventBridgeEvent): Record<string, unknown> {
  const fromResponse = asRecord(pathGet(responseOf(event), 'distribution.distributionConfig'));
  if (Object.keys(fromResponse).length > 0) return fromResponse;
  const request = requestOf(event);
  return asRecord(request.distributionConfig ?? pathGet(request, 'distributionConfigWithTags.distributionConfig'));
}

function distributionIdOf(event: EventBridgeEvent): string | undefined {
  return asString(pathGet(responseOf(event), 'distribution.id')) ?? asString(requestOf(event).id);
}

/** CloudFront ARNs have no Region: arn:aws:cloudfront::<account>:distribution/<id>. */
function distributionArnOf(event: EventBridgeEvent, id: string): string {
  return asString(pathGet(responseOf(event), 'distribution.aRN')) ?? arnIn(event, 'cloudfront', `distribution/${id}`, { region: '' });
}

/**
 * The weak viewer policy, if any. With the default *.cloudfront.net certificate CloudFront fixes the
 * policy itself (TLSv1) and the setting cannot be raised, so only distributions with their own
 * certificate are judged.
 */
function weakViewerPolicy(config: Record<string, unknown>): string | undefined {
  const certificate = asRecord(config.viewerCertificate);
  if (certificate.cloudFrontDefaultCertificate === true) return undefined;
  const policy = asString(certificate.minimumProtocolVersion);
  return policy && WEAK_VIEWER_POLICIES.has(policy) ? policy : undefined;
}

/** Path patterns ("default" for the default behavior) whose viewerProtocolPolicy is allow-all. */
function plainHttpBehaviors(config: Record<string, unknown>): string[] {
  const behaviors = [
    { path: 'default', policy: pathGet(config, 'defaultCacheBehavior.viewerProtocolPolicy') },
    ...asArray(pathGet(config, 'cacheBehaviors.items')).map((item) => ({
      path: asString(asRecord(item).pathPattern) ?? '(unknown)',
      policy: asRecord(item).viewerProtocolPolicy,
    })),
  ];
  return behaviors.filter((behavior) => behavior.policy === 'allow-all').map((behavior) => behavior.path);
}

/**
 * CloudFront distributions that let viewers connect without adequate TLS: a custom certificate with
 * a security policy below TLS 1.2 (SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016), or a cache behavior
 * whose viewerProtocolPolicy is allow-all (plain HTTP served, not redirected).
 */
export const cloudfrontViewerTlsWeak: Control = {
  id: 'network.cloudfront-viewer-tls-weak',
  area: 'network',
  title: 'CloudFront distribution serves plain HTTP or accepts TLS below 1.2',
  severity: 'MEDIUM',
  rationale:
    'Viewers of a distribution that accepts TLS 1.0/1.1 or plain HTTP can be downgraded or read on hostile networks, exposing session tokens and personal data; TLS 1.2 is the minimum every framework accepts.',
  runbook: [
    "Weak policy: CloudFront console → Distributions → <id> → General → Settings → Edit → Security policy TLSv1.2_2021 (recommended) → Save changes; or update the distribution config's ViewerCertificate.MinimumProtocolVersion to TLSv1.2_2021 with `aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://config.json`.",
    'Plain HTTP: Distributions → <id> → Behaviors → <behavior> → Edit → Viewer protocol policy "Redirect HTTP to HTTPS" (or "HTTPS only") → Save changes; in the config set ViewerProtocolPolicy to redirect-to-https for DefaultCacheBehavior and every CacheBehaviors item.',
    'Check the standard logs (cs-protocol-version) for clients still using TLS 1.0/1.1 before tightening.',
  ],
  frameworks: [{ framework: 'fsbp', requirement: 'CloudFront.3' }, ...IN_TRANSIT_ENCRYPTION_FRAMEWORKS],
  patterns: [apiCallPattern(CLOUDFRONT_SOURCE, ['CreateDistribution', 'CreateDistributionWithTags', 'UpdateDistribution'])],
  evaluate(event) {
    const id = distributionIdOf(event);
    if (!id) return [];
    const config = configOf(event);
    const resourceId = distributionArnOf(event, id);
    const violations: Violation[] = [];
    const policy = weakViewerPolicy(config);
    if (policy) {
      violations.push({
        resourceId,
        resourceType: 'AWS::CloudFront::Distribution',
        qualifier: WEAK_TLS,
        message: `CloudFront distribution ${id} accepts viewer connections below TLS 1.2 (security policy ${policy})`,
        evidence: { minimumProtocolVersion: policy, sSLSupportMethod: pathGet(config, 'viewerCertificate.sSLSupportMethod') ?? null },
      });
    }
    const plain = plainHttpBehaviors(config);
    if (plain.length > 0) {
      violations.push({
        resourceId,
        resourceType: 'AWS::CloudFront::Distribution',
        qualifier: PLAIN_HTTP,
        message: `CloudFront distribution ${id} serves plain HTTP to viewers (viewer protocol policy allow-all on ${plain.join(', ')} behavior${plain.length > 1 ? 's' : ''})`,
        evidence: { allowAllBehaviors: plain },
      });
    }
    return violations;
  },
  resolution: {
    description: 'UpdateDistribution leaving the distribution on TLS 1.2+ and redirecting HTTP, or DeleteDistribution',
    patterns: [apiCallPattern(CLOUDFRONT_SOURCE, ['UpdateDistribution', 'DeleteDistribution'])],
    resolve(event) {
      const id = distributionIdOf(event);
      if (!id) return [];
      const resourceId = distributionArnOf(event, id);
      if (recordOf(event).eventName === 'DeleteDistribution') return [{ resourceId, message: `CloudFront distribution ${id} was deleted` }];
      const config = configOf(event);
      if (Object.keys(config).length === 0) return [];
      const resolutions: Resolution[] = [];
      if (!weakViewerPolicy(config))
        resolutions.push({ resourceId, qualifier: WEAK_TLS, message: `CloudFront distribution ${id} requires TLS 1.2 or later` });
      if (plainHttpBehaviors(config).length === 0)
        resolutions.push({ resourceId, qualifier: PLAIN_HTTP, message: `CloudFront distribution ${id} no longer serves plain HTTP` });
      return resolutions;
    },
  },
};
