/**
 * Secret masking: values that are secrets by their key name (password, token, …) or by their
 * shape (AWS secret keys, private keys, provider tokens) never leave evaluation in clear text.
 * Applied to evidence before it is stored or sent.
 */

export const MASK = '****';

const SECRET_NAME = /(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|apikey|private[-_]?key|credential|auth|session[-_]?key|access[-_]?key[-_]?secret|client[-_]?secret|signing[-_]?key|encryption[-_]?key|conn(ection)?[-_]?str(ing)?|dsn)/i;
/** Key names that mention a secret but hold no secret value (ids, ARNs, flags, lengths, policies). */
const NOT_SECRET_NAME = /(arn|id|ids|name|names|type|enabled|length|policy|version|rotation|reset|required|age|count|expir|status|kms|lifetime|_?by|authenticated|prevention|:aud|:sub|:amr)$/i;

const SECRET_VALUE_SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/, // PEM private keys
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS access key ids (paired with a secret, never needed in clear)
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{50,}\b/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, // Slack tokens
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWTs
  /\bsk_(live|test)_[A-Za-z0-9]{16,}\b/, // Stripe secret keys
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API keys
  /\bglpat-[A-Za-z0-9_-]{20,}\b/, // GitLab tokens
  /\bnpm_[A-Za-z0-9]{36}\b/, // npm tokens
  /:\/\/[^/\s:@]+:[^/\s@]+@/, // credentials in a URL (postgres://user:pass@host)
];

/** True when a key name says its value is a secret (and it is not an id, ARN, flag or policy about one). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

/** True when a string has the shape of a known secret, whatever its key. */
export function isSecretValue(value: string): boolean {
  if (!SECRET_VALUE_HINT.test(value)) return false;
  return SECRET_VALUE_SHAPES.some((shape) => shape.test(value)) || hasAwsSecretKeyShape(value);
}

/**
 * One pass over the string for the literal every shape above starts with (or a 40-character
 * base64 run): most strings have none, and skip the dozen shape tests.
 */
const SECRET_VALUE_HINT = /PRIVATE KEY|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|eyJ|sk_live_|sk_test_|AIza|glpat-|npm_|:\/\/|[A-Za-z0-9/+]{40}/;

/** 40 base64 characters standing alone, mixing upper case, lower case and digits (hex digests do not). */
const AWS_SECRET_KEY_CANDIDATE = /(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?=$|[^A-Za-z0-9/+=])/g;
function hasAwsSecretKeyShape(value: string): boolean {
  if (value.length < 40) return false;
  for (const match of value.matchAll(AWS_SECRET_KEY_CANDIDATE)) {
    const candidate = match[1]!;
    if (/[A-Z]/.test(candidate) && /[a-z]/.test(candidate) && /[0-9]/.test(candidate)) return true;
  }
  return false;
}

function maskValue(value: unknown): unknown {
  return value === null || value === undefined || value === '' ? value : MASK;
}

/**
 * A deep copy with secrets masked: values under secret names, `{name, value}` pairs whose
 * name is secret (ECS and Lambda environment entries), and strings that look like secrets.
 */
export function maskSecrets<T>(value: T): T {
  return maskAny(value) as T;
}

function maskAny(value: unknown): unknown {
  if (typeof value === 'string') return isSecretValue(value) ? MASK : value;
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
