/**
 * Validates an EventBridge event pattern once and compiles it for fast matching.
 * Rules followed (Amazon EventBridge User Guide: "Creating event patterns", "Content filtering in
 * Amazon EventBridge event patterns", "Comparison operators for use in event patterns",
 * "Arrays in Amazon EventBridge event patterns"):
 * - the pattern is a JSON object; each field holds an object (nested fields) or an array of values;
 * - a field's array holds one or more values (empty arrays are refused);
 * - keys are joined with dots, so `"detail.state"` and `"detail": {"state": ...}` are the same field;
 *   when one field is given twice, the last one is used;
 * - `$or` holds alternative patterns for the object it appears in; APIs refuse a pattern whose
 *   `$or` use results in over 1000 rule combinations.
 */
import { InvalidPatternError } from './invalid-pattern-error';
import { compileLeaf, isPlainObject, OPERATOR_KEYS } from './leaf-compiler';
import { matchEvent } from './match-engine';
import type { CompiledPattern, FieldSpec, LeafSpec, NodeSpec } from './types';

/** "...will throw an InvalidEventPatternException if the use of $or results in over 1000 rule combinations." */
export const MAX_OR_COMBINATIONS = 1000;

interface DraftField {
  leaf: LeafSpec | null;
  node: DraftNode | null;
}

interface DraftNode {
  readonly fields: Map<string, DraftField>;
  readonly orGroups: NodeSpec[][];
}

function newDraft(): DraftNode {
  return { fields: new Map(), orGroups: [] };
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function compileOr(value: unknown, basePath: readonly string[], path: string): NodeSpec[] {
  if (!Array.isArray(value)) {
    throw new InvalidPatternError(path, '$or must be an array of patterns');
  }
  if (value.length < 2) {
    throw new InvalidPatternError(path, `$or must hold at least two alternative patterns, found ${value.length}`);
  }
  return value.map((alternative, index) => {
    const altPath = `${path}[${index}]`;
    if (!isPlainObject(alternative)) {
      throw new InvalidPatternError(altPath, 'each $or alternative must be a pattern object');
    }
    for (const key of Object.keys(alternative)) {
      if (OPERATOR_KEYS.has(key)) {
        throw new InvalidPatternError(`${altPath}.${key}`, `the operator "${key}" cannot be a field of a $or alternative`);
      }
    }
    return compileObject(alternative, basePath, altPath);
  });
}

/** Adds the fields of pattern object `obj` (found at key path `basePath`) to `draft`. */
function addObject(draft: DraftNode, obj: Record<string, unknown>, basePath: readonly string[], path: string): void {
  const keys = Object.keys(obj);
  if (keys.length === 0) {
    throw new InvalidPatternError(path, 'a pattern object must hold at least one field');
  }
  for (const key of keys) {
    const value = obj[key];
    const keyPath = joinPath(path, key);
    if (key === '$or') {
      draft.orGroups.push(compileOr(value, basePath, keyPath));
      continue;
    }
    const segments = key.split('.');
    if (segments.includes('$or')) {
      throw new InvalidPatternError(keyPath, '$or must be a key of its own, not part of a dotted key');
    }
    let target = draft;
    for (let s = 0; s < segments.length - 1; s++) {
      const field = target.fields.get(segments[s]) ?? { leaf: null, node: null };
      target.fields.delete(segments[s]);
      target.fields.set(segments[s], field); // keep the order of last mention
      field.node ??= newDraft();
      target = field.node;
    }
    const last = segments[segments.length - 1];
    const fullPath = [...basePath, ...segments];
    const field = target.fields.get(last) ?? { leaf: null, node: null };
    target.fields.delete(last);
    target.fields.set(last, field);
    if (Array.isArray(value)) {
      field.leaf = compileLeaf(value, fullPath, keyPath);
    } else if (isPlainObject(value)) {
      field.node ??= newDraft();
      addObject(field.node, value, fullPath, keyPath);
    } else {
      throw new InvalidPatternError(keyPath, `must be an object or an array, not ${value === null ? 'null' : typeof value}`);
    }
  }
}

function finish(draft: DraftNode): NodeSpec {
  const fields: FieldSpec[] = [];
  let canMatchAbsent = true;
  for (const [key, field] of draft.fields) {
    const node = field.node === null ? null : finish(field.node);
    if (field.leaf !== null && !field.leaf.existsFalse) canMatchAbsent = false;
    if (node !== null && !node.canMatchAbsent) canMatchAbsent = false;
    fields.push({ key, dottedKey: `${key}.`, inheritedName: key in Object.prototype, leaf: field.leaf, node });
  }
  for (const group of draft.orGroups) {
    if (!group.some((alternative) => alternative.canMatchAbsent)) canMatchAbsent = false;
  }
  return { fields, orGroups: draft.orGroups, canMatchAbsent };
}

function compileObject(obj: Record<string, unknown>, basePath: readonly string[], path: string): NodeSpec {
  const draft = newDraft();
  addObject(draft, obj, basePath, path);
  return finish(draft);
}

/** How many plain rules the pattern expands to once every `$or` is distributed. */
function combinations(node: NodeSpec): number {
  let count = 1;
  for (const field of node.fields) {
    if (field.node !== null) count *= combinations(field.node);
  }
  for (const group of node.orGroups) {
    let sum = 0;
    for (const alternative of group) sum += combinations(alternative);
    count *= sum;
  }
  return Math.min(count, Number.MAX_SAFE_INTEGER);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

class CompiledEventPattern implements CompiledPattern {
  readonly source: object;
  readonly #root: NodeSpec;

  constructor(source: object, root: NodeSpec) {
    this.source = source;
    this.#root = root;
  }

  matches(event: unknown): boolean {
    return matchEvent(this.#root, event);
  }
}

/** Validates `pattern` (throwing InvalidPatternError with the offending key path) and compiles it. */
export function compilePattern(pattern: unknown): CompiledPattern {
  if (!isPlainObject(pattern)) {
    throw new InvalidPatternError('', 'an event pattern must be a JSON object');
  }
  const root = compileObject(pattern, [], '');
  const count = combinations(root);
  if (count > MAX_OR_COMBINATIONS) {
    throw new InvalidPatternError('', `the use of $or results in ${count} rule combinations, over the limit of ${MAX_OR_COMBINATIONS}`);
  }
  return new CompiledEventPattern(deepFreeze(structuredClone(pattern)), root);
}

/** Convenience for one-off checks: compiles `pattern` (throwing if invalid) and matches `event`. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern).matches(event);
}
