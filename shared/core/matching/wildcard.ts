/**
 * The `wildcard` operator ("Matching using wildcards" in "Content filtering in Amazon EventBridge
 * event patterns"): `*` stands for zero or more characters; `\*` is a literal asterisk and `\\` a
 * literal backslash; a backslash before any other character is not supported; consecutive `**`
 * is refused. Matching walks literal segments with indexOf (no regular expression, no backtracking).
 */
import type { StringTest } from './types';

export type WildcardParse = { ok: true; test: StringTest } | { ok: false; reason: string };

/** Splits a wildcard pattern into the literal segments between unescaped `*`. */
export function compileWildcard(pattern: string): WildcardParse {
  const segments: string[] = [];
  let current = '';
  let previousWasStar = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') {
        return {
          ok: false,
          reason:
            next === undefined
              ? `wildcard pattern "${pattern}" ends with a lone backslash`
              : `wildcard pattern "${pattern}": a backslash may only escape * or \\ (position ${i})`,
        };
      }
      current += next;
      i++;
      previousWasStar = false;
    } else if (c === '*') {
      if (previousWasStar) {
        return { ok: false, reason: `wildcard pattern "${pattern}": consecutive wildcard characters at position ${i}` };
      }
      segments.push(current);
      current = '';
      previousWasStar = true;
    } else {
      current += c;
      previousWasStar = false;
    }
  }
  segments.push(current);
  return { ok: true, test: segmentTest(segments) };
}

function segmentTest(segments: readonly string[]): StringTest {
  if (segments.length === 1) {
    const literal = segments[0];
    return (value) => value === literal;
  }
  const head = segments[0];
  const tail = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((s) => s.length > 0);
  const minimum = segments.reduce((sum, s) => sum + s.length, 0);
  if (middle.length === 0) {
    return (value) => value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
  }
  return (value) => {
    if (value.length < minimum || !value.startsWith(head) || !value.endsWith(tail)) return false;
    // Leftmost placement of each middle segment leaves the most room for the rest.
    let position = head.length;
    const end = value.length - tail.length;
    for (let s = 0; s < middle.length; s++) {
      const segment = middle[s];
      const found = value.indexOf(segment, position);
      if (found < 0 || found + segment.length > end) return false;
      position = found + segment.length;
    }
    return true;
  };
}
