/**
 * The `numeric` operator ("Numeric matching" in "Content filtering in Amazon EventBridge event
 * patterns"): works only on JSON numbers; values are limited to -5.0e9..+5.0e9 with six digits to
 * the right of the decimal point, so both sides are compared at micro-unit precision.
 */
import type { NumberTest } from './types';

export const NUMERIC_LIMIT = 5e9;

/** A number at the documented precision: an integer count of millionths. */
export function quantize(value: number): number {
  return Math.round(value * 1e6);
}

export type NumericParse = { ok: true; test: NumberTest } | { ok: false; reason: string };

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);
const ALL = new Set(['<', '<=', '=', '>', '>=']);

function operand(operator: unknown, value: unknown): string | null {
  if (typeof operator !== 'string' || !ALL.has(operator)) {
    return `unrecognized numeric operator ${JSON.stringify(operator)} (expected one of < <= = > >=)`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `value of ${operator} must be a number`;
  if (Math.abs(value) > NUMERIC_LIMIT) return `value of ${operator} is outside the numeric range -5.0e9..+5.0e9`;
  return null;
}

/** Compiles `[">", 0, "<=", 5]`, `["<", 10]` or `["=", 3.018e2]`. */
export function compileNumeric(spec: unknown): NumericParse {
  if (!Array.isArray(spec) || (spec.length !== 2 && spec.length !== 4)) {
    return { ok: false, reason: 'numeric expects [operator, number] or [">" | ">=", low, "<" | "<=", high]' };
  }
  const firstProblem = operand(spec[0], spec[1]);
  if (firstProblem !== null) return { ok: false, reason: firstProblem };
  const op1 = spec[0] as string;
  const v1 = quantize(spec[1] as number);
  if (spec.length === 2) {
    switch (op1) {
      case '<':
        return { ok: true, test: (n) => quantize(n) < v1 };
      case '<=':
        return { ok: true, test: (n) => quantize(n) <= v1 };
      case '=':
        return { ok: true, test: (n) => quantize(n) === v1 };
      case '>':
        return { ok: true, test: (n) => quantize(n) > v1 };
      default:
        return { ok: true, test: (n) => quantize(n) >= v1 };
    }
  }
  const secondProblem = operand(spec[2], spec[3]);
  if (secondProblem !== null) return { ok: false, reason: secondProblem };
  const op2 = spec[2] as string;
  if (!LOWER.has(op1)) {
    return { ok: false, reason: `bad numeric range operator ${op1}: a range starts with a lower bound (> or >=)` };
  }
  if (!UPPER.has(op2)) {
    return { ok: false, reason: `bad numeric range operator ${op2}: a range ends with an upper bound (< or <=)` };
  }
  const v2 = quantize(spec[3] as number);
  if (v1 >= v2) return { ok: false, reason: 'numeric range lower bound must be less than its upper bound' };
  const lowInclusive = op1 === '>=';
  const highInclusive = op2 === '<=';
  if (lowInclusive && highInclusive)
    return {
      ok: true,
      test: (n) => {
        const q = quantize(n);
        return q >= v1 && q <= v2;
      },
    };
  if (lowInclusive)
    return {
      ok: true,
      test: (n) => {
        const q = quantize(n);
        return q >= v1 && q < v2;
      },
    };
  if (highInclusive)
    return {
      ok: true,
      test: (n) => {
        const q = quantize(n);
        return q > v1 && q <= v2;
      },
    };
  return {
    ok: true,
    test: (n) => {
      const q = quantize(n);
      return q > v1 && q < v2;
    },
  };
}
