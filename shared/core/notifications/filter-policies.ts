/**
 * The message attributes SnsNotifier sets on every notification, and ready-made SNS subscription
 * filter policies over them (FilterPolicyScope MessageAttributes). Plain JSON-able objects: they go
 * into subscriptions, serverless.yml and the docs as they are.
 *
 * Routing is by severity, never by status, so the RESOLVED notification of a finding reaches the
 * same subscribers as its opening did (a pager auto-resolves the incident on the dedup key).
 */
import type { Severity } from '../model/severity';

/** The message attributes every notification carries (DataType String): what filter policies route on. */
export const SNS_MESSAGE_ATTRIBUTES = ['severity', 'area', 'controlId', 'account', 'region', 'status', 'transition'] as const;
export type SnsMessageAttributeName = (typeof SNS_MESSAGE_ATTRIBUTES)[number];

/** An attribute-scoped filter policy: every named attribute must equal one of its listed values. */
export type FilterPolicy = { readonly [name in SnsMessageAttributeName]?: readonly string[] };

export const FILTER_POLICY_SCOPE = 'MessageAttributes';

/** Shared policies must not change under their users' feet. */
function frozen(policy: { [name in SnsMessageAttributeName]?: string[] }): FilterPolicy {
  for (const values of Object.values(policy)) Object.freeze(values);
  return Object.freeze(policy);
}

/** For the pager: CRITICAL and HIGH findings, opened, escalated, reopened and resolved. */
export const PAGE_ON_CRITICAL_AND_HIGH: FilterPolicy = frozen({ severity: ['CRITICAL', 'HIGH'] satisfies Severity[] });

/** For the mailbox: every other severity, so that each notification goes to exactly one of the two. */
export const EMAIL_THE_REST: FilterPolicy = frozen({ severity: ['MEDIUM', 'LOW', 'INFORMATIONAL'] satisfies Severity[] });

/** SNS allows at most 150 value combinations in one filter policy. */
export const MAX_FILTER_POLICY_VALUES = 150;

/** Findings in the given AWS accounts (12-digit ids, as strings: a number would lose leading zeros). */
export function teamAccountsPolicy(accounts: string[]): FilterPolicy {
  const unique = [...new Set(accounts)];
  const invalid = unique.filter((account) => !/^\d{12}$/.test(account));
  if (invalid.length > 0) throw new Error(`not 12-digit AWS account ids: ${invalid.join(', ')}`);
  if (unique.length === 0) throw new Error('a team filter policy needs at least one account');
  if (unique.length > MAX_FILTER_POLICY_VALUES) {
    throw new Error(
      `a filter policy holds at most ${MAX_FILTER_POLICY_VALUES} values; got ${unique.length} accounts (split them over several subscriptions)`,
    );
  }
  return frozen({ account: unique });
}

/** The Subscribe / SetSubscriptionAttributes attributes that apply a policy. */
export function subscriptionAttributesOf(policy: FilterPolicy): { FilterPolicy: string; FilterPolicyScope: typeof FILTER_POLICY_SCOPE } {
  return { FilterPolicy: JSON.stringify(policy), FilterPolicyScope: FILTER_POLICY_SCOPE };
}
