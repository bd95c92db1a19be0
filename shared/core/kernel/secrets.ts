/**
 * Secret detection: key names that say their value is a secret (password, token, …) and strings
 * shaped like a known secret (AWS secret keys, private keys, provider tokens, credentials in URLs).
 * Controls use it to judge what a request carries; findings mask evidence with it.
 */

const SECRET_NAME =
  /(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|apikey|private[-_]?key|credential|auth|session[-_]?key|access[-_]?key[-_]?secret|client[-_]?secret|signing[-_]?key|encryption[-_]?key|conn(ection)?[-_]?str(ing)?|dsn)/i;
/** Key names that mention a secret but hold no secret value (ids, ARNs, flags, lengths, policies). */
const NOT_SECRET_NAME =
  /(arn|id|ids|name|names|type|enabled|length|policy|version|rotation|reset|required|age|count|expir|status|kms|lifetime|_?by|authenticated|prevention|:aud|:sub|:amr)$/i;

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

/** Key names already judged: they repeat from event to event (requestParameters, userIdentity, …). */
const secretNames = new Map<string, boolean>();
const SECRET_NAMES_REMEMBERED = 10_000;

/** True when a key name says its value is a secret (and it is not an id, ARN, flag or policy about one). */
export function isSecretName(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    secret = SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
    if (secretNames.size >= SECRET_NAMES_REMEMBERED) secretNames.clear();
    secretNames.set(name, secret);
  }
  return secret;
}

/** True when a string has the shape of a known secret, whatever its key. */
export function isSecretValue(value: string): boolean {
  if (!hasSecretValueHint(value)) return false;
  return SECRET_VALUE_SHAPES.some((shape) => shape.test(value)) || hasAwsSecretKeyShape(value);
}

/**
 * The literal every shape above starts with. Tested on its own: V8 scans for a set of literals
 * fast, while adding the 40-character run below to the same alternation made it retry every
 * alternative at every position (it was the pipeline's costliest function).
 */
const SECRET_VALUE_LITERAL = /PRIVATE KEY|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|eyJ|sk_live_|sk_test_|AIza|glpat-|npm_|:\/\//;

/** 1 for the characters of a base64 run: letters, digits, `/` and `+`. */
const BASE64_CODES = new Uint8Array(128);
for (const character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+') BASE64_CODES[character.charCodeAt(0)] = 1;

function isBase64At(value: string, index: number): boolean {
  const code = value.charCodeAt(index);
  return code < 128 && BASE64_CODES[code] === 1;
}

/**
 * Whether the string has 40 base64 characters in a row (/[A-Za-z0-9/+]{40}/). Any such run covers
 * one of the positions 39, 79, 119, …: only those are looked at, and the run around one measured.
 */
function hasBase64Run40(value: string): boolean {
  for (let i = 39; i < value.length; i += 40) {
    if (!isBase64At(value, i)) continue;
    let first = i;
    while (first > 0 && isBase64At(value, first - 1)) first -= 1;
    let last = i;
    while (last + 1 < value.length && isBase64At(value, last + 1)) last += 1;
    if (last - first + 1 >= 40) return true;
    // The next run starts after `last + 1` and covers `last + 40` or a later position of the stride.
    i = last;
  }
  return false;
}

/**
 * Whether the string has the literal every shape above starts with, or a 40-character base64
 * run: most strings have neither, and skip the dozen shape tests.
 */
function hasSecretValueHint(value: string): boolean {
  return SECRET_VALUE_LITERAL.test(value) || hasBase64Run40(value);
}

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
