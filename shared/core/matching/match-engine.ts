/**
 * Runs a compiled pattern against an event. Semantics (Amazon EventBridge User Guide):
 * - every field of a pattern object must match (AND); any entry of a field's array may match (OR);
 * - an event array matches when any element does ("Arrays in Amazon EventBridge event patterns");
 *   an object pattern is matched against each element whole, so all its fields come from one element;
 * - pattern and event keys are joined with dots, so `{"a.b": ...}` and `{"a": {"b": ...}}` meet
 *   ("Considerations when creating event patterns");
 * - `exists: false` holds when the field has no leaf value anywhere in the event; an object is not
 *   a leaf ("Exists matching").
 * Nothing is allocated on the common path: property reads, Set lookups and precompiled tests.
 */
import type { LeafSpec, NodeSpec } from './types';

type JsonObject = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

/** True when `obj` has an own key starting with `prefix` (an event key spelled with dots). */
function hasKeyStartingWith(obj: JsonObject, prefix: string): boolean {
  for (const key in obj) {
    if (key.startsWith(prefix) && hasOwn.call(obj, key)) return true;
  }
  return false;
}

/** Whether a primitive event value satisfies one entry of the leaf's array. */
function testPrimitive(leaf: LeafSpec, value: unknown): boolean {
  switch (typeof value) {
    case 'string': {
      if (leaf.anyString) return true;
      if (leaf.exactStrings?.has(value)) return true;
      const tests = leaf.stringTests;
      for (let i = 0; i < tests.length; i++) if (tests[i](value)) return true;
      return false;
    }
    case 'number': {
      if (leaf.anyNumber) return true;
      if (leaf.exactNumbers?.has(value)) return true;
      const tests = leaf.numberTests;
      for (let i = 0; i < tests.length; i++) if (tests[i](value)) return true;
      return false;
    }
    case 'boolean':
      return leaf.anyBooleanOrNull || (value ? leaf.exactTrue : leaf.exactFalse);
    case 'object':
      return value === null && (leaf.anyBooleanOrNull || leaf.exactNull);
    default:
      return false;
  }
}

const MATCHED = 1;
const NOT_MATCHED = 0;
const NO_LEAF = -1;

/** Array value at a leaf: MATCHED if some primitive element (nested arrays flattened) matches. */
function testArray(leaf: LeafSpec, values: readonly unknown[]): number {
  let result = NO_LEAF;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Array.isArray(value)) {
      const inner = testArray(leaf, value);
      if (inner === MATCHED) return MATCHED;
      if (inner === NOT_MATCHED) result = NOT_MATCHED;
    } else if (!isObject(value)) {
      if (testPrimitive(leaf, value)) return MATCHED;
      result = NOT_MATCHED;
    }
  }
  return result;
}

/** True when `value` is, or (as an array) holds, a primitive. */
function holdsLeafValue(value: unknown): boolean {
  if (!isObject(value)) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (holdsLeafValue(value[i])) return true;
  return false;
}

function descendHasLeaf(value: unknown, path: readonly string[], index: number): boolean {
  if (!isObject(value)) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (descendHasLeaf(value[i], path, index)) return true;
    return false;
  }
  return hasLeafAt(value, '', path, index);
}

/** True when the event has a leaf value at path[index..], read from `obj` seen through key prefix `prefix`. */
function hasLeafAt(obj: JsonObject, prefix: string, path: readonly string[], index: number): boolean {
  const key = prefix + path[index];
  const value = hasOwn.call(obj, key) ? obj[key] : undefined;
  const last = index === path.length - 1;
  if (value !== undefined && (last ? holdsLeafValue(value) : descendHasLeaf(value, path, index + 1))) return true;
  if (!last) {
    const dotted = `${key}.`;
    if (hasKeyStartingWith(obj, dotted) && hasLeafAt(obj, dotted, path, index + 1)) return true;
  }
  return false;
}

function absentEverywhere(root: JsonObject, leaf: LeafSpec): boolean {
  return !hasLeafAt(root, '', leaf.fullPath, 0);
}

function matchLeaf(leaf: LeafSpec, value: unknown, root: JsonObject): boolean {
  if (!isObject(value)) {
    if (value !== undefined) return testPrimitive(leaf, value);
    return leaf.existsFalse && absentEverywhere(root, leaf);
  }
  if (Array.isArray(value)) {
    const result = testArray(leaf, value);
    if (result === MATCHED) return true;
    return result === NO_LEAF && leaf.existsFalse && absentEverywhere(root, leaf);
  }
  // An object is not a leaf: only exists:false can match it.
  return leaf.existsFalse && absentEverywhere(root, leaf);
}

/** The node's fields are all missing here (the parent value is absent, a primitive, or an empty array). */
function matchAbsent(node: NodeSpec, root: JsonObject): boolean {
  if (!node.canMatchAbsent) return false;
  const fields = node.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.leaf !== null && !matchLeaf(field.leaf, undefined, root)) return false;
    if (field.node !== null && !matchAbsent(field.node, root)) return false;
  }
  const groups = node.orGroups;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    let any = false;
    for (let a = 0; a < group.length && !any; a++) any = matchAbsent(group[a], root);
    if (!any) return false;
  }
  return true;
}

function matchChild(node: NodeSpec, value: unknown, root: JsonObject): boolean {
  if (!isObject(value)) return matchAbsent(node, root);
  if (Array.isArray(value)) {
    let sawNonObject = value.length === 0;
    for (let i = 0; i < value.length; i++) {
      const element = value[i];
      if (isObject(element)) {
        if (matchChild(node, element, root)) return true;
      } else {
        sawNonObject = true;
      }
    }
    return sawNonObject && matchAbsent(node, root);
  }
  return matchNode(node, value, '', root);
}

/** Matches `node` against `obj`, whose keys are read with `prefix` in front (non-empty only for dotted event keys). */
export function matchNode(node: NodeSpec, obj: JsonObject, prefix: string, root: JsonObject): boolean {
  const fields = node.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    let value: unknown;
    if (prefix === '') {
      value = field.inheritedName ? (hasOwn.call(obj, field.key) ? obj[field.key] : undefined) : obj[field.key];
    } else {
      const key = prefix + field.key;
      value = hasOwn.call(obj, key) ? obj[key] : undefined;
    }
    if (value === undefined && field.node !== null) {
      // The nested fields may be spelled as dotted keys of this object, e.g. {"detail.state": "x"}.
      const dotted = prefix + field.dottedKey;
      if (hasKeyStartingWith(obj, dotted)) {
        if (field.leaf !== null && !matchLeaf(field.leaf, undefined, root)) return false;
        if (!matchNode(field.node, obj, dotted, root)) return false;
        continue;
      }
    }
    if (field.leaf !== null && !matchLeaf(field.leaf, value, root)) return false;
    if (field.node !== null && !matchChild(field.node, value, root)) return false;
  }
  const groups = node.orGroups;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    let any = false;
    for (let a = 0; a < group.length && !any; a++) any = matchNode(group[a], obj, prefix, root);
    if (!any) return false;
  }
  return true;
}

/** Entry point: a non-object event (null, array, string, ...) is not a valid event and matches nothing. */
export function matchEvent(root: NodeSpec, event: unknown): boolean {
  if (!isObject(event) || Array.isArray(event)) return false;
  return matchNode(root, event, '', event);
}
