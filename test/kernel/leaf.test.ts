/** The kernel is a leaf: it imports only core/model, so settings, findings and controls can all build on it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const KERNEL_DIR = resolve(__dirname, '../../shared/core/kernel');

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from '([^']+)';/gms)].map((match) => match[1]!);
}

describe('the control kernel', () => {
  const modules = readdirSync(KERNEL_DIR).filter((name) => name.endsWith('.ts'));

  it.each(modules)('%s imports only its own modules and core/model', (name) => {
    for (const path of importsOf(join(KERNEL_DIR, name))) expect(path).toMatch(/^(\.\/[a-z0-9-]+|\.\.\/model\/[a-z0-9-]+)$/);
  });
});
