/** File-level failures, as one-sentence reasons. */
import { promises as fsp, type Stats } from 'node:fs';

/** stat, with the failure returned instead of thrown. */
export async function statOrError(file: string): Promise<{ stat: Stats } | { error: unknown }> {
  try {
    return { stat: await fsp.stat(file) };
  } catch (error) {
    return { error };
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** "cannot read FILE: no such file or directory (ENOENT)", "corrupt gzip data in FILE: incorrect header check". */
export function describeReadError(file: string, error: unknown): string {
  const name = file === '-' ? 'stdin' : file;
  // Duck-typed: errors may come from another realm (instanceof Error fails there).
  const err = (typeof error === 'object' && error !== null ? error : {}) as Partial<NodeJS.ErrnoException>;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const message = typeof err.message === 'string' ? err.message : String(error);
  if (code?.startsWith('Z_')) return `corrupt gzip data in ${name}: ${message}`;
  if (code !== undefined && code in ERRNO_TEXT) return `cannot read ${name}: ${ERRNO_TEXT[code]} (${code})`;
  // Node's own messages repeat the path after a comma ("EACCES: permission denied, open '/x'").
  const short = message.replace(/, \w+ '[^']*'$/, '');
  return `cannot read ${name}: ${short}`;
}
