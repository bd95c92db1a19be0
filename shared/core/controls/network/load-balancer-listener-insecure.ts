import type { Control, Violation } from '../../model/control';
import type { EventBridgeEvent } from '../../model/event';
import { asArray, asRecord, asString } from '../../kernel/values';
import { recordOf, requestOf, responseOf } from '../../kernel/records';
import { ELB_SOURCE } from '../../kernel/sources';
import { apiCallPattern } from '../../kernel/patterns';
import { IN_TRANSIT_ENCRYPTION_FRAMEWORKS } from './support';

/**
 * Predefined ELB security policies that still accept TLS 1.0 or 1.1: the legacy defaults
 * (2015-05, 2016-08, FS-2018-06) and every TLS-1-0/TLS-1-1/FS-1-1/TLS13-1-0/TLS13-1-1 variant
 * (including FIPS ones). Policies whose minimum is TLS 1.2 (TLS-1-2-*, FS-1-2-*, TLS13-1-2-*,
 * TLS13-1-3-*) do not match.
 */
const WEAK_TLS_POLICY = /^ELBSecurityPolicy-(2015-05|2016-08|FS-2018-06|TLS-1-[01]-|FS-1-1-|TLS13-1-[01]-)/;

interface Listener {
  listenerArn?: string;
  loadBalancerArn?: string;
  protocol?: string;
  port?: unknown;
  sslPolicy?: string;
  actionTypes: string[];
}

/**
 * The listener as it stands after the call. CreateListener and ModifyListener both return the full
 * listener in responseElements.listeners; the request is the fallback (ModifyListener's request
 * carries only the fields that changed, so it is used only for what the response lacks).
 */
function listenerOf(event: EventBridgeEvent): Listener | undefined {
  const request = requestOf(event);
  const fromResponse = asRecord(asArray(responseOf(event).listeners)[0]);
  const pick = (field: string): unknown => fromResponse[field] ?? request[field];
  const listenerArn = asString(pick('listenerArn'));
  if (!listenerArn && !asString(pick('loadBalancerArn'))) return undefined;
  return {
    listenerArn,
    loadBalancerArn: asString(pick('loadBalancerArn')),
    protocol: asString(pick('protocol'))?.toUpperCase(),
    port: pick('port'),
    sslPolicy: asString(pick('sslPolicy')),
    actionTypes: asArray(pick('defaultActions'))
      .map((action) => asString(asRecord(action).type)?.toLowerCase())
      .filter((type): type is string => type !== undefined),
  };
}

/** Plain HTTP whose default action serves traffic (forward) instead of redirecting it to HTTPS. */
function forwardsPlainHttp(listener: Listener): boolean {
  return listener.protocol === 'HTTP' && listener.actionTypes.includes('forward');
}

/** HTTPS or TLS with a predefined policy that still negotiates TLS 1.0 or 1.1. */
function weakTlsPolicy(listener: Listener): string | undefined {
  // sslPolicy is only accepted on HTTPS and TLS listeners, so an unlogged protocol does not excuse it.
  if (listener.protocol !== undefined && listener.protocol !== 'HTTPS' && listener.protocol !== 'TLS') return undefined;
  return listener.sslPolicy && WEAK_TLS_POLICY.test(listener.sslPolicy) ? listener.sslPolicy : undefined;
}

/** "app/web/50dc6c495c0c9188/f2f7dc8efc522ab2" → "web"; the value itself when it is not a listener ARN. */
function loadBalancerNameOf(listener: Listener): string {
  const arn = listener.listenerArn ?? listener.loadBalancerArn ?? '';
  const match = /:(?:listener|loadbalancer)\/(?:app|net|gwy)\/([^/]+)/.exec(arn);
  return match ? match[1] : arn;
}

/**
 * Application and Network Load Balancer listeners that leave traffic unprotected in transit:
 * a plain-HTTP listener whose default action forwards to targets instead of redirecting to HTTPS,
 * or an HTTPS/TLS listener on a security policy that still accepts TLS 1.0 or 1.1.
 */
export const loadBalancerListenerInsecure: Control = {
  id: 'network.load-balancer-listener-insecure',
  area: 'network',
  title: 'Load balancer listener serves plain HTTP or accepts TLS below 1.2',
  severity: 'MEDIUM',
  rationale:
    'A listener that forwards plain HTTP, or negotiates TLS 1.0/1.1, exposes session cookies, tokens and personal data to anyone on the network path; only redirects should answer on HTTP, and TLS 1.2 is the minimum every framework accepts.',
  runbook: [
    'HTTP listener: EC2 console → Load balancers → <lb> → Listeners and rules → HTTP:80 → Edit listener → Default action "Redirect to URL", protocol HTTPS, port 443, status 301; CLI `aws elbv2 modify-listener --listener-arn <listener-arn> --default-actions \'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}\'`.',
    'Weak TLS policy: EC2 console → Load balancers → <lb> → Listeners and rules → HTTPS:443 → Edit listener → Security policy ELBSecurityPolicy-TLS13-1-2-2021-06; CLI `aws elbv2 modify-listener --listener-arn <listener-arn> --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06`.',
    'Check the access logs (ssl_protocol field) for clients still using TLS 1.0/1.1 before tightening, and tell their owners.',
  ],
  frameworks: [
    { framework: 'fsbp', requirement: 'ELB.1' },
    { framework: 'fsbp', requirement: 'ELB.17' },
    ...IN_TRANSIT_ENCRYPTION_FRAMEWORKS,
  ],
  patterns: [apiCallPattern(ELB_SOURCE, ['CreateListener', 'ModifyListener'])],
  evaluate(event) {
    const listener = listenerOf(event);
    const resourceId = listener?.listenerArn ?? listener?.loadBalancerArn;
    if (!listener || !resourceId) return [];
    const name = loadBalancerNameOf(listener);
    const port = listener.port ?? '(default)';
    const violations: Violation[] = [];
    if (forwardsPlainHttp(listener)) {
      violations.push({
        resourceId,
        resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
        qualifier: 'plain-http-forward',
        message: `Load balancer ${name} listener HTTP:${String(port)} forwards plain HTTP to its targets instead of redirecting to HTTPS`,
        evidence: { protocol: listener.protocol, port: listener.port ?? null, defaultActionTypes: listener.actionTypes },
      });
    }
    const policy = weakTlsPolicy(listener);
    if (policy) {
      violations.push({
        resourceId,
        resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
        qualifier: 'weak-tls-policy',
        message: `Load balancer ${name} listener ${listener.protocol}:${String(port)} uses security policy ${policy}, which accepts TLS below 1.2`,
        evidence: { protocol: listener.protocol, port: listener.port ?? null, sslPolicy: policy },
      });
    }
    return violations;
  },
  resolution: {
    description: 'ModifyListener leaving the listener redirecting HTTP and on a TLS 1.2+ policy, or DeleteListener',
    patterns: [apiCallPattern(ELB_SOURCE, ['ModifyListener', 'DeleteListener'])],
    resolve(event) {
      if (recordOf(event).eventName === 'DeleteListener') {
        const arn = asString(requestOf(event).listenerArn);
        return arn ? [{ resourceId: arn, message: `Listener ${arn} was deleted` }] : [];
      }
      const listener = listenerOf(event);
      // Without the listener's protocol (no response, request changing other fields) its state is unknown.
      if (!listener?.listenerArn || !listener.protocol) return [];
      const resolutions = [];
      if (!forwardsPlainHttp(listener)) {
        resolutions.push({
          resourceId: listener.listenerArn,
          qualifier: 'plain-http-forward',
          message: `Listener of ${loadBalancerNameOf(listener)} no longer forwards plain HTTP`,
        });
      }
      if (!weakTlsPolicy(listener)) {
        resolutions.push({
          resourceId: listener.listenerArn,
          qualifier: 'weak-tls-policy',
          message: `Listener of ${loadBalancerNameOf(listener)} no longer accepts TLS below 1.2`,
        });
      }
      return resolutions;
    },
  },
};
