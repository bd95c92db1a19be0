/**
 * How deep a parsed record nests objects and arrays, measured without recursion: a record thousands
 * of levels deep must be refused by intake, not overflow the stack of whatever walks it first.
 */

/**
 * True when `value` nests objects and arrays more than `maxDepth` levels deep (the value itself is
 * level 1; a string, number, boolean or null is level 0). An explicit stack walks the value and stops
 * at the first container past the limit, so the cost is bounded by the value's size and the depth of
 * the walk by `maxDepth`, whatever the input. Safe on cyclic values (a cycle is reported as too deep).
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth < 1) return true;
  const containers: object[] = [value];
  const depths: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop() as object;
    const depth = depths.pop() as number;
    const inner = depth + 1;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i += 1) {
        const element: unknown = container[i];
        if (typeof element !== 'object' || element === null) continue;
        if (inner > maxDepth) return true;
        containers.push(element);
        depths.push(inner);
      }
    } else {
      const record = container as Record<string, unknown>;
      for (const key in record) {
        const element = record[key];
        if (typeof element !== 'object' || element === null) continue;
        if (inner > maxDepth) return true;
        containers.push(element);
        depths.push(inner);
      }
    }
  }
  return false;
}
