/**
 * The error compilePattern throws for a pattern EventBridge would refuse (PutRule and
 * TestEventPattern answer such a pattern with InvalidEventPatternException).
 */
export class InvalidPatternError extends Error {
  /** Dotted key path of the offending part of the pattern, e.g. `detail.eventName[1].prefix`; `(root)` for the pattern itself. */
  readonly path: string;
  /** The reason alone, without the path. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    const where = path === '' ? '(root)' : path;
    super(`${where}: ${reason}`);
    this.name = 'InvalidPatternError';
    this.path = where;
    this.reason = reason;
  }
}
