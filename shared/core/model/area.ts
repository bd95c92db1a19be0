/** The seven control areas. Every control belongs to exactly one. */
export const AREAS = ['image', 'host', 'network', 'data', 'iam', 'runtime', 'audit'] as const;
export type Area = (typeof AREAS)[number];

export function isArea(value: unknown): value is Area {
  return typeof value === 'string' && (AREAS as readonly string[]).includes(value);
}
