/**
 * Safe reading of JSON values as CloudTrail and service events carry them: a missing field, a null
 * or a value of the wrong type is a normal case, never an exception. Services log booleans and
 * numbers sometimes as strings ("true", "443"); the readers here accept both forms.
 */

/** The value when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An array as is; a single value as a one-element array; undefined and null as []. */
export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** A plain object as is; anything else (null, arrays, scalars) as {}. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A number from a finite number or an integer string ("443", " -1 "), else undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** True for boolean true and the string "true". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** True for boolean false and the string "false"; absent is not false. */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** true, false, or undefined when the value is neither form of a boolean (absent: the call leaves the setting as it was). */
export function asBoolean(value: unknown): boolean | undefined {
  if (isTrue(value)) return true;
  if (isFalse(value)) return false;
  return undefined;
}

/** Reads a dotted path ("a.b.0.c") from any value; undefined where any step is missing. */
export function pathGet(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current)) {
      const index = Number(step);
      if (!Number.isInteger(index)) return undefined;
      current = current[index];
    } else if (typeof current === 'object') {
      current = (current as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  return current;
}

/** The strings of a value that is a string or an array (other items dropped). */
export function stringsOf(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}
