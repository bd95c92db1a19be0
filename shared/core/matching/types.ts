/** Public and internal shapes of a compiled EventBridge event pattern. */

/** A pattern validated and compiled once; `matches` is then cheap enough to run on every event. */
export interface CompiledPattern {
  /** A deep-frozen copy of the pattern as given. */
  readonly source: object;
  /** True when the event (the whole EventBridge envelope: `source`, `detail-type`, `detail`, ...) matches. */
  matches(event: unknown): boolean;
}

export type StringTest = (value: string) => boolean;
export type NumberTest = (value: number) => boolean;

/**
 * The value array of one leaf field, e.g. `"state": ["running", {"prefix": "stop"}]`: the field
 * matches when any entry does. Entries are sorted by the JSON type they can match.
 */
export interface LeafSpec {
  /** Full key path from the event root, pattern keys split on dots; used for `exists: false`. */
  readonly fullPath: readonly string[];
  readonly exactStrings: ReadonlySet<string> | null;
  readonly exactNumbers: ReadonlySet<number> | null;
  readonly exactTrue: boolean;
  readonly exactFalse: boolean;
  readonly exactNull: boolean;
  /** Some entry matches every string / number / boolean / null (exists: true, anything-but of another type). */
  readonly anyString: boolean;
  readonly anyNumber: boolean;
  readonly anyBooleanOrNull: boolean;
  readonly stringTests: readonly StringTest[];
  readonly numberTests: readonly NumberTest[];
  /** An `{"exists": false}` entry is present. */
  readonly existsFalse: boolean;
}

/** One key of a pattern object. A key can carry both a leaf array and nested fields (via dotted keys). */
export interface FieldSpec {
  readonly key: string;
  /** `key + '.'`: the prefix of event keys that spell this field and deeper ones with dots. */
  readonly dottedKey: string;
  /** The key exists on Object.prototype, so a plain property read could see an inherited member. */
  readonly inheritedName: boolean;
  readonly leaf: LeafSpec | null;
  readonly node: NodeSpec | null;
}

/** A pattern object: every field must match (AND), and each `$or` group needs one matching alternative. */
export interface NodeSpec {
  readonly fields: readonly FieldSpec[];
  readonly orGroups: readonly (readonly NodeSpec[])[];
  /** False when no part of the node could match an absent value, so the absent check can stop at once. */
  readonly canMatchAbsent: boolean;
}
