/**
 * Reading IAM policy documents (identity policies, trust policies and resource policies such as
 * S3 bucket, SQS, SNS, KMS and Secrets Manager policies): statements, principals, actions and
 * whether a Condition really narrows who may use a grant. Total: a malformed document yields no
 * statements, never an exception.
 *
 * Grammar per the IAM JSON policy element reference: Statement is an object or an array;
 * Principal is "*" or a map of AWS / Service / Federated / CanonicalUser to a string or array;
 * Action, NotAction, Resource, NotResource are a string or an array; condition keys are
 * case-insensitive.
 */
import { asArray, asRecord, asString, stringsOf } from './values';

export type PolicyStatement = Record<string, unknown>;

/**
 * Some services put JSON documents (policies) in request fields as strings, sometimes
 * URL-encoded (IAM). Returns the parsed document, or undefined when it is not JSON.
 */
export function parseJsonDocument(value: unknown): unknown {
  if (value !== null && typeof value === 'object') return value;
  if (typeof value !== 'string') return undefined;
  for (const candidate of [value, safeDecodeURIComponent(value)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecodeURIComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The statements of a policy document given as an object, a JSON string or a URL-encoded JSON string. */
export function statementsOf(document: unknown): PolicyStatement[] {
  const parsed = asRecord(parseJsonDocument(document));
  return asArray(parsed.Statement).filter((s): s is PolicyStatement => s !== null && typeof s === 'object' && !Array.isArray(s));
}

export function isAllow(statement: PolicyStatement): boolean {
  return asString(statement.Effect)?.toLowerCase() === 'allow';
}

export function isDeny(statement: PolicyStatement): boolean {
  return asString(statement.Effect)?.toLowerCase() === 'deny';
}

export function actionsOf(statement: PolicyStatement): string[] {
  return stringsOf(statement.Action);
}

export function resourcesOf(statement: PolicyStatement): string[] {
  return stringsOf(statement.Resource);
}

/** The principals a statement names, by kind. `wildcard` is true for `"*"` and `{"AWS": "*"}`. */
export interface Principals {
  wildcard: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

export function principalsOf(statement: PolicyStatement): Principals {
  const principal = statement.Principal;
  if (principal === '*') return { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] };
  const map = asRecord(principal);
  const aws = stringsOf(map.AWS);
  return {
    wildcard: aws.includes('*'),
    aws: aws.filter((p) => p !== '*'),
    service: stringsOf(map.Service),
    federated: stringsOf(map.Federated),
    canonicalUser: stringsOf(map.CanonicalUser),
  };
}

/**
 * The account id an AWS principal belongs to: a bare 12-digit id, or the account field of an
 * IAM / STS ARN (`arn:aws:iam::123456789012:root`, `…:role/x`, `arn:aws:sts::…:assumed-role/…`).
 * Undefined for unique ids (AROA…/AIDA…) and anything else.
 */
export function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal);
  return match?.[1];
}

/** Action "*" (or "*:*") — every action of every service. */
export function grantsAllActions(statement: PolicyStatement): boolean {
  return actionsOf(statement).some((a) => a === '*' || a === '*:*');
}

/** Resource "*" — every resource. */
export function onAllResources(statement: PolicyStatement): boolean {
  return resourcesOf(statement).includes('*');
}

/** An Allow of Action "*" on Resource "*": full administrator access (IAM.1, CIS 1.16). */
export function isAdministratorStatement(statement: PolicyStatement): boolean {
  return isAllow(statement) && grantsAllActions(statement) && onAllResources(statement);
}

/** Condition entries flattened: operator (as written), key (lower-cased) and values. */
export interface ConditionEntry {
  operator: string;
  key: string;
  values: string[];
}

export function conditionsOf(statement: PolicyStatement): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(asRecord(statement.Condition))) {
    for (const [key, value] of Object.entries(asRecord(block))) {
      entries.push({ operator, key: key.toLowerCase(), values: asArray(value).map((v) => String(v)) });
    }
  }
  return entries;
}

/** Keys whose values name the callers' account, organization or network: pinning one narrows a `*` principal. */
const ACCOUNT_KEYS = new Set([
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'kms:calleraccount',
  'aws:userid',
  'aws:username',
  'aws:sourcevpc',
  'aws:sourcevpce',
]);
const ARN_KEYS = new Set(['aws:sourcearn', 'aws:principalarn']);
const IP_KEYS = new Set(['aws:sourceip']);
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

function isPositiveOperator(operator: string): boolean {
  const base = operator.replace(/^For(Any|All)Value:/i, '');
  // Negated operators match everyone but the values; IfExists matches requests lacking the key
  // (anonymous callers lack most of them); ForAllValues matches when the key is absent.
  return !/Not/i.test(base) && !/IfExists$/i.test(base) && !/^ForAllValues:/i.test(operator) && base.toLowerCase() !== 'null';
}

function pinsValue(entry: ConditionEntry): boolean {
  if (entry.values.length === 0) return false;
  if (ACCOUNT_KEYS.has(entry.key)) return entry.values.every((v) => v !== '' && !v.includes('*') && !v.includes('?'));
  if (ARN_KEYS.has(entry.key)) {
    // arn:partition:service:region:ACCOUNT:resource — the account field must be fixed.
    return entry.values.every((v) => {
      const account = v.split(':')[4];
      return account !== undefined && /^\d{12}$/.test(account);
    });
  }
  if (IP_KEYS.has(entry.key)) return entry.values.every((v) => !OPEN_CIDRS.has(v));
  return false;
}

/**
 * True when the statement's Condition narrows its principals to known callers: a positive
 * operator on a source/principal account, organization, ARN (with a fixed account), VPC,
 * VPC endpoint or IP range. `sts:ExternalId` does not count: it is a shared value, not an identity.
 */
export function hasRestrictingCondition(statement: PolicyStatement): boolean {
  return conditionsOf(statement).some((entry) => isPositiveOperator(entry.operator) && pinsValue(entry));
}

/**
 * An Allow that anyone can use: Principal "*" / {"AWS": "*"} (or NotPrincipal) without a
 * restricting Condition. Such statements make a resource public.
 */
export function isPublicAllow(statement: PolicyStatement): boolean {
  if (!isAllow(statement)) return false;
  if (statement.NotPrincipal !== undefined) return !hasRestrictingCondition(statement);
  return principalsOf(statement).wildcard && !hasRestrictingCondition(statement);
}

/** The statements of a document that make it public. */
export function publicStatements(document: unknown): PolicyStatement[] {
  return statementsOf(document).filter(isPublicAllow);
}

/**
 * Accounts an Allow statement grants to that are neither the resource's own account nor
 * trusted. Principals given as unique ids (no account visible) are not reported.
 */
export function untrustedAccounts(statement: PolicyStatement, ownAccount: string, trustedAccounts: readonly string[]): string[] {
  if (!isAllow(statement)) return [];
  const accounts = principalsOf(statement)
    .aws.map(accountOfPrincipal)
    .filter((a): a is string => a !== undefined && a !== ownAccount && !trustedAccounts.includes(a));
  return [...new Set(accounts)];
}

/**
 * True when the document denies requests made without TLS: a Deny for every principal with
 * `Bool`/`BoolIfExists` `aws:SecureTransport` "false" (CIS 2.1.1, FSBP S3.5).
 */
export function deniesInsecureTransport(document: unknown): boolean {
  return statementsOf(document).some(
    (statement) =>
      isDeny(statement) &&
      principalsOf(statement).wildcard &&
      conditionsOf(statement).some(
        (c) => /^Bool(IfExists)?$/i.test(c.operator) && c.key === 'aws:securetransport' && c.values.includes('false'),
      ),
  );
}
