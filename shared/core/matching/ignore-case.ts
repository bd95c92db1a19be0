/**
 * Case-insensitive string tests for `equals-ignore-case`, alone and inside `prefix`, `suffix` and
 * `anything-but`. A precompiled `iu` regular expression (Unicode simple case folding) avoids
 * lower-casing every event value.
 */
import type { StringTest } from './types';

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

export function equalsIgnoreCase(expected: string): StringTest {
  const re = new RegExp(`^${escapeRegExp(expected)}$`, 'iu');
  return (value) => re.test(value);
}

export function prefixIgnoreCase(prefix: string): StringTest {
  const re = new RegExp(`^${escapeRegExp(prefix)}`, 'iu');
  return (value) => re.test(value);
}

export function suffixIgnoreCase(suffix: string): StringTest {
  const re = new RegExp(`${escapeRegExp(suffix)}$`, 'iu');
  return (value) => re.test(value);
}
