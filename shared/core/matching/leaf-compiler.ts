/**
 * Compiles the value array of one pattern field (`"state": [...]`) into a LeafSpec, refusing what
 * EventBridge refuses. Sections cited are from the Amazon EventBridge User Guide.
 */
import { compileCidr } from './ip-address';
import { equalsIgnoreCase, prefixIgnoreCase, suffixIgnoreCase } from './ignore-case';
import { InvalidPatternError } from './invalid-pattern-error';
import { compileNumeric } from './numeric';
import type { LeafSpec, NumberTest, StringTest } from './types';
import { compileWildcard } from './wildcard';

/** The operator keys of "Comparison operators for use in event patterns" (keys are case-sensitive). */
export const OPERATOR_KEYS: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
  'wildcard',
]);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

class LeafBuilder {
  exactStrings: Set<string> | null = null;
  exactNumbers: Set<number> | null = null;
  exactTrue = false;
  exactFalse = false;
  exactNull = false;
  anyString = false;
  anyNumber = false;
  anyBooleanOrNull = false;
  existsFalse = false;
  readonly stringTests: StringTest[] = [];
  readonly numberTests: NumberTest[] = [];

  /** anything-but of strings still matches every number, boolean and null. */
  excludeStrings(test: StringTest): void {
    this.stringTests.push(test);
    this.anyNumber = true;
    this.anyBooleanOrNull = true;
  }
}

/** A single string, or a non-empty list of strings (the list forms anything-but accepts). */
function stringOrStringList(value: unknown, path: string, what: string, allowEmptyString: boolean): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || (Array.isArray(value) && list.length === 0)) {
    throw new InvalidPatternError(path, `${what} must be a string or a non-empty list of strings, not ${describeValue(value)}`);
  }
  return list.map((item, index) => {
    if (typeof item !== 'string') {
      throw new InvalidPatternError(
        Array.isArray(value) ? `${path}[${index}]` : path,
        `${what} must be a string, not ${describeValue(item)}`,
      );
    }
    if (!allowEmptyString && item === '') {
      throw new InvalidPatternError(Array.isArray(value) ? `${path}[${index}]` : path, `${what} must not be empty`);
    }
    return item;
  });
}

/** `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`; the same shapes for suffix. */
function compileAffix(kind: 'prefix' | 'suffix', operand: unknown, path: string): StringTest | 'all' {
  if (typeof operand === 'string') {
    if (operand === '') return 'all';
    return kind === 'prefix' ? (v) => v.startsWith(operand) : (v) => v.endsWith(operand);
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 1 && keys[0] === 'equals-ignore-case') {
      const inner = operand['equals-ignore-case'];
      if (typeof inner !== 'string') {
        throw new InvalidPatternError(
          `${path}.equals-ignore-case`,
          `equals-ignore-case match pattern must be a string, not ${describeValue(inner)}`,
        );
      }
      return kind === 'prefix' ? prefixIgnoreCase(inner) : suffixIgnoreCase(inner);
    }
  }
  throw new InvalidPatternError(
    path,
    `${kind} match pattern must be a string or {"equals-ignore-case": string}, not ${describeValue(operand)}`,
  );
}

function compileWildcardOrThrow(text: string, path: string): StringTest {
  const parsed = compileWildcard(text);
  if (!parsed.ok) throw new InvalidPatternError(path, parsed.reason);
  return parsed.test;
}

function anyOf(tests: readonly StringTest[]): StringTest {
  if (tests.length === 1) return tests[0];
  return (value) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](value)) return true;
    return false;
  };
}

const ANYTHING_BUT_SHAPE =
  'anything-but must be a string, a number, a non-empty list of only strings or only numbers, ' +
  'or an object with one of prefix, suffix, equals-ignore-case, wildcard';

function compileAnythingBut(builder: LeafBuilder, operand: unknown, path: string): void {
  if (typeof operand === 'string') {
    builder.excludeStrings((v) => v !== operand);
    return;
  }
  if (typeof operand === 'number') {
    if (!Number.isFinite(operand)) throw new InvalidPatternError(path, `${ANYTHING_BUT_SHAPE}, not ${describeValue(operand)}`);
    builder.numberTests.push((v) => v !== operand);
    builder.anyString = true;
    builder.anyBooleanOrNull = true;
    return;
  }
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new InvalidPatternError(path, 'empty arrays are not allowed');
    if (operand.every((v) => typeof v === 'string')) {
      const excluded = new Set(operand as string[]);
      builder.excludeStrings((v) => !excluded.has(v));
      return;
    }
    if (operand.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      const excluded = new Set(operand as number[]);
      builder.numberTests.push((v) => !excluded.has(v));
      builder.anyString = true;
      builder.anyBooleanOrNull = true;
      return;
    }
    throw new InvalidPatternError(path, 'an anything-but list must contain only strings or only numbers');
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 1) {
      const key = keys[0];
      const inner = operand[key];
      const innerPath = `${path}.${key}`;
      switch (key) {
        case 'prefix':
        case 'suffix': {
          const affixes = stringOrStringList(inner, innerPath, `anything-but ${key}`, false);
          const tests = affixes.map((a): StringTest => (key === 'prefix' ? (v) => v.startsWith(a) : (v) => v.endsWith(a)));
          const matchesAny = anyOf(tests);
          builder.excludeStrings((v) => !matchesAny(v));
          return;
        }
        case 'equals-ignore-case': {
          const values = stringOrStringList(inner, innerPath, 'anything-but equals-ignore-case', true);
          const matchesAny = anyOf(values.map(equalsIgnoreCase));
          builder.excludeStrings((v) => !matchesAny(v));
          return;
        }
        case 'wildcard': {
          const patterns = stringOrStringList(inner, innerPath, 'anything-but wildcard', true);
          const matchesAny = anyOf(
            patterns.map((p, i) => compileWildcardOrThrow(p, Array.isArray(inner) ? `${innerPath}[${i}]` : innerPath)),
          );
          builder.excludeStrings((v) => !matchesAny(v));
          return;
        }
        default:
          break;
      }
    }
  }
  throw new InvalidPatternError(path, `${ANYTHING_BUT_SHAPE}, not ${describeValue(operand)}`);
}

function compileOperator(builder: LeafBuilder, key: string, operand: unknown, path: string): void {
  switch (key) {
    case 'prefix':
    case 'suffix': {
      const test = compileAffix(key, operand, path);
      if (test === 'all') builder.anyString = true;
      else builder.stringTests.push(test);
      return;
    }
    case 'equals-ignore-case':
      if (typeof operand !== 'string') {
        throw new InvalidPatternError(path, `equals-ignore-case match pattern must be a string, not ${describeValue(operand)}`);
      }
      builder.stringTests.push(equalsIgnoreCase(operand));
      return;
    case 'wildcard':
      if (typeof operand !== 'string') {
        throw new InvalidPatternError(path, `wildcard match pattern must be a string, not ${describeValue(operand)}`);
      }
      builder.stringTests.push(compileWildcardOrThrow(operand, path));
      return;
    case 'anything-but':
      compileAnythingBut(builder, operand, path);
      return;
    case 'numeric': {
      const parsed = compileNumeric(operand);
      if (!parsed.ok) throw new InvalidPatternError(path, parsed.reason);
      builder.numberTests.push(parsed.test);
      return;
    }
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new InvalidPatternError(path, `exists must be true or false, not ${describeValue(operand)}`);
      }
      if (operand) {
        builder.anyString = true;
        builder.anyNumber = true;
        builder.anyBooleanOrNull = true;
      } else {
        builder.existsFalse = true;
      }
      return;
    case 'cidr': {
      if (typeof operand !== 'string') throw new InvalidPatternError(path, `cidr must be a string, not ${describeValue(operand)}`);
      const parsed = compileCidr(operand);
      if (!parsed.ok) throw new InvalidPatternError(path, parsed.reason);
      builder.stringTests.push(parsed.test);
      return;
    }
    default:
      throw new InvalidPatternError(path, `unrecognized match type "${key}"`);
  }
}

/** Compiles `values` (the array given for one field) at `path`; `fullPath` is the field's key path from the event root. */
export function compileLeaf(values: readonly unknown[], fullPath: readonly string[], path: string): LeafSpec {
  if (values.length === 0) throw new InvalidPatternError(path, 'empty arrays are not allowed');
  const builder = new LeafBuilder();
  values.forEach((value, index) => {
    const itemPath = `${path}[${index}]`;
    if (typeof value === 'string') {
      builder.exactStrings ??= new Set();
      builder.exactStrings.add(value);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InvalidPatternError(itemPath, `${value} is not a JSON number`);
      builder.exactNumbers ??= new Set();
      builder.exactNumbers.add(value);
    } else if (value === true) {
      builder.exactTrue = true;
    } else if (value === false) {
      builder.exactFalse = true;
    } else if (value === null) {
      builder.exactNull = true;
    } else if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (keys.length !== 1) {
        throw new InvalidPatternError(itemPath, `a match object must hold exactly one operator, found ${keys.length} keys`);
      }
      compileOperator(builder, keys[0], value[keys[0]], `${itemPath}.${keys[0]}`);
    } else {
      throw new InvalidPatternError(
        itemPath,
        `a match value must be a string, number, true, false, null or an operator object, not ${describeValue(value)}`,
      );
    }
  });
  return {
    fullPath,
    exactStrings: builder.exactStrings,
    exactNumbers: builder.exactNumbers,
    exactTrue: builder.exactTrue,
    exactFalse: builder.exactFalse,
    exactNull: builder.exactNull,
    anyString: builder.anyString,
    anyNumber: builder.anyNumber,
    anyBooleanOrNull: builder.anyBooleanOrNull,
    stringTests: builder.stringTests,
    numberTests: builder.numberTests,
    existsFalse: builder.existsFalse,
  };
}
