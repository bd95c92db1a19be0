/**
 * Secret detection: key names that say their value is a secret (password, token, …) and strings
 * shaped like a known secret (AWS secret keys, private keys, provider tokens, credentials in URLs).
 * Controls use it to judge what a request carries; findings mask evidence with it.
 */
import { remembered } from './remembered';

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

const SECRET_NAMES_REMEMBERED = 10_000;

/**
 * True when a key name says its value is a secret (and it is not an id, ARN, flag or policy about one). Names
 * judged already are remembered: they repeat from event to event (requestParameters, userIdentity, …).
 */
export const isSecretName: (name: string) => boolean = remembered(
  SECRET_NAMES_REMEMBERED,
  (name) => SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name),
);

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

/**
 * Secrets written as `key=value` or `key: value` inside free text (a user agent, a message, a
 * command line, a query string, a header): the key names a secret and ends where a key ends,
 * `password`, `passwd`, `passphrase`, `pwd`, `secret` (`client_secret`, `aws_secret_access_key`, `SecretString`),
 * `token` (`access_token`, `X-Amz-Security-Token`), `api_key` / `apikey` / `api-key` / `x-api-key`,
 * `private_key`, a session, signing, encryption, master, account or shared access key, `auth`,
 * `authorization`, `credential(s)`, `sig`, `signature` (`X-Amz-Signature`), with any prefix
 * (`DB_PASSWORD`, `dbPassword`, `--password`). Second alternative: a bearer token standing alone
 * (`Bearer eyJ…`), at least 16 token68 characters. One pattern, so most strings are scanned once.
 */
const SECRET_ASSIGNMENT =
  /(?:pass(?:word|wd|phrase)|pwd|secret(?:[-_]?access)?(?:[-_]?(?:key|string))?|token|api[-_]?key|private[-_]?key|(?:session|signing|encryption|master|account|shared[-_]?access)[-_]?key|auth(?:orization)?|credentials?|sig(?:nature)?)(?![A-Za-z0-9])(?:\\?["'])?[ \t]*[:=][ \t]*|bearer[ \t]+(?=[A-Za-z0-9._~+/-]{16})/gi;

/** The one form of SECRET_ASSIGNMENT without a `:` or `=`. */
const BEARER = /bearer[ \t]/i;

/** The characters of a key, read back from where its secret-naming word starts. */
const KEY_CHARACTER = /[A-Za-z0-9_.-]/;

/**
 * What may stand right before a key: the start, a space, a query-string, header, cookie or list
 * separator, a quote or an opening bracket. Not `:` or `/`: `arn:aws:secretsmanager:…:secret:name`
 * and `…/parameter/db-password` name a resource, not a value.
 */
const KEY_BOUNDARY = /[\s?&#;,"'`{([|\\]/;

/** Where an unquoted value ends. */
const VALUE_END = /[\s&;,"'`<>)\]}|\\]/;

/** A character of a bearer token (RFC 6750 token68, without its `=` padding). */
const TOKEN68 = /[A-Za-z0-9._~+/-]/;

/**
 * Keys that name a secret's identifier or an opaque request value, not a secret (normalized: lower
 * case, letters and digits only): `X-Amz-Credential` is an access key id and a scope (the signature
 * is the secret), and pagination, client and idempotency tokens are handed out to be sent back.
 */
const NOT_SECRET_KEY = /(?:amzcredential|nexttoken|continuationtoken|pagetoken|paginationtoken|clienttoken|idempotencytoken)$/;

/** An AWS Signature V4 credential scope (`AKIA…/20250304/us-east-1/s3/aws4_request`): an identifier. */
const CREDENTIAL_SCOPE = /^[A-Z0-9]{16,128}(?:\/|%2F)\d{8}(?:\/|%2F)/i;

/** HTTP authentication schemes whose one token follows (`Authorization: Bearer <token>`). */
const TOKEN_SCHEME = /^(?:Bearer|Basic|Token|Negotiate|NTLM)[ \t]+/i;
/** Schemes whose parameters are `key=value` pairs, judged one by one (`AWS4-HMAC-SHA256 Credential=…, Signature=…`). */
const PARAMETER_SCHEME = /^(?:AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256|Digest|OAuth)[ \t]+/i;

/** A reference to a secret kept elsewhere (`$DB_PASSWORD`, `${token}`, `{{resolve:secretsmanager:…}}`): no secret in it. */
const REFERENCE = /^(?:\$[A-Z_][A-Z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_.:-]*\}?|\{\{resolve:.*)$/;

/** The quote a value starts with at `start`: `"`, `'`, an escaped one (`\"` in JSON inside a string), or none. */
function quoteAt(text: string, start: number): string {
  if (text[start] === '\\' && (text[start + 1] === '"' || text[start + 1] === "'")) return text.slice(start, start + 2);
  return text[start] === '"' || text[start] === "'" ? text[start]! : '';
}

/** Where a value that starts at `from` ends (exclusive): its closing quote, else the first character that ends a bare value. */
function valueEnd(text: string, from: number, quote: string): number {
  if (quote !== '') {
    let close = text.indexOf(quote, from);
    // A quote escaped inside the value (`"pa\"ss"`) does not end it.
    while (close > from && quote.length === 1 && text[close - 1] === '\\') close = text.indexOf(quote, close + 1);
    if (close >= 0) return close;
  }
  let to = from;
  while (to < text.length && !VALUE_END.test(text[to]!)) to += 1;
  return to;
}

/** The end of the bearer token that starts at `from`, its `=` padding included. */
function token68End(text: string, from: number): number {
  let to = from;
  while (to < text.length && TOKEN68.test(text[to]!)) to += 1;
  while (text[to] === '=') to += 1;
  return to;
}

/** The span of the secret value of the form `match` found, or undefined when it holds none. */
function secretValueOf(text: string, match: RegExpExecArray): { from: number; to: number } | undefined {
  const end = match.index + match[0].length;
  if (/^bearer[ \t]/i.test(match[0])) {
    if (match.index > 0 && /[A-Za-z0-9]/.test(text[match.index - 1]!)) return undefined;
    return { from: end, to: token68End(text, end) };
  }
  let keyStart = match.index;
  while (keyStart > 0 && KEY_CHARACTER.test(text[keyStart - 1]!)) keyStart -= 1;
  if (keyStart > 0 && !KEY_BOUNDARY.test(text[keyStart - 1]!)) return undefined;
  const key = text
    .slice(keyStart, end)
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
  if (NOT_SECRET_KEY.test(key)) return undefined;
  const quote = quoteAt(text, end);
  const inner = end + quote.length;
  const rest = text.slice(inner, inner + 40);
  // Its parameters come next and are judged on their own.
  if (PARAMETER_SCHEME.test(rest)) return undefined;
  const from = inner + (TOKEN_SCHEME.exec(rest)?.[0].length ?? 0);
  const to = valueEnd(text, from, quote);
  const value = text.slice(from, to);
  if (value === '' || REFERENCE.test(value)) return undefined;
  if ((key === 'pwd' || key === 'oldpwd') && /^[/~]/.test(value)) return undefined; // a shell's working directory
  if (key.endsWith('credential') && CREDENTIAL_SCOPE.test(value)) return undefined;
  return { from, to };
}

/**
 * The text with the value of every secret `key=value` / `key: value` form replaced by `mask`,
 * keeping the key, the separator, any quotes and the rest of the text: `password=hunter2` →
 * `password=****`, `"token": "abc"` → `"token": "****"`, `Authorization: Bearer abc` →
 * `Authorization: Bearer ****`, `?X-Amz-Signature=abc&` → `?X-Amz-Signature=****&`. Text without
 * such a form comes back as it is (the same string); masked text comes back unchanged.
 */
export function maskSecretAssignments(text: string, mask: string): string {
  // Every form needs a `:` or `=` after its key, or a bearer scheme: most strings have neither, and are
  // spared the scan for secret-naming words.
  if (text.indexOf('=') === -1 && text.indexOf(':') === -1 && !BEARER.test(text)) return text;
  let out = '';
  let last = 0;
  SECRET_ASSIGNMENT.lastIndex = 0;
  for (let match = SECRET_ASSIGNMENT.exec(text); match !== null; match = SECRET_ASSIGNMENT.exec(text)) {
    if (match.index < last) continue;
    const span = secretValueOf(text, match);
    if (!span || text.slice(span.from, span.to) === mask) continue;
    out += `${text.slice(last, span.from)}${mask}`;
    last = span.to;
    SECRET_ASSIGNMENT.lastIndex = Math.max(SECRET_ASSIGNMENT.lastIndex, span.to);
  }
  return last === 0 ? text : `${out}${text.slice(last)}`;
}
