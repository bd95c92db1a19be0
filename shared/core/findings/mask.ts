/**
 * Secret masking: values that are secrets by their key name (password, token, …), by their shape
 * (AWS secret keys, private keys, provider tokens: the whole string is masked), or written as
 * `key=value` / `key: value` inside free text (`password=hunter2` in a user agent: only the value is
 * masked, `password=****`) never leave evaluation in clear text. Applied to evidence before it is
 * stored or sent, and to a finding again when a message is built. What counts as a secret is the
 * kernel's (core/kernel/secrets), shared with the controls that look for secrets in requests.
 */
import { remembered } from '../kernel/remembered';
import { isSecretName, isSecretValue, maskSecretAssignments } from '../kernel/secrets';

export const MASK = '****';

function maskValue(value: unknown): unknown {
  return value === null || value === undefined || value === '' ? value : MASK;
}

/**
 * A deep copy with secrets masked: values under secret names, `{name, value}` pairs whose
 * name is secret (ECS and Lambda environment entries), strings that look like secrets, and the
 * values of secret `key=value` forms inside any other string.
 */
export function maskSecrets<T>(value: T): T {
  return maskAny(value) as T;
}

const MASKED_STRINGS_KEPT = 8192;
const MASKED_STRING_MAX_LENGTH = 512;

function maskedString(value: string): string {
  return isSecretValue(value) ? MASK : maskSecretAssignments(value, MASK);
}

/** Short strings masked already (user agents, ARNs, addresses repeat from event to event): masking is a pure function of the string. */
const maskedShortString = remembered(MASKED_STRINGS_KEPT, maskedString);

function maskString(value: string): string {
  return value.length > MASKED_STRING_MAX_LENGTH ? maskedString(value) : maskedShortString(value);
}

function maskAny(value: unknown): unknown {
  if (typeof value === 'string') return maskString(value);
  if (Array.isArray(value)) return value.map(maskAny);
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const pairIsSecret = typeof source.name === 'string' && 'value' in source && isSecretName(source.name);
  const masked: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(source)) {
    // Only strings can hold a secret: flags and numbers under secret-sounding names (mfaAuthenticated, passwordReusePrevention) stay.
    if ((pairIsSecret && key === 'value') || (typeof inner === 'string' && isSecretName(key))) masked[key] = maskValue(inner);
    else masked[key] = maskAny(inner);
  }
  return masked;
}
