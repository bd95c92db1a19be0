/**
 * Areas import only the kernel, the model and files of their own area: never another area, the
 * settings or the findings. What controls share lives in the kernel; what one area shares, in its support.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AREAS } from '../../shared/core/model/area';

const CONTROLS_DIR = resolve(__dirname, '../../shared/core/controls');

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from '([^']+)';/gms)].map((match) => match[1]!);
}

const files = AREAS.flatMap((area) =>
  readdirSync(join(CONTROLS_DIR, area))
    .filter((name) => name.endsWith('.ts') && statSync(join(CONTROLS_DIR, area, name)).isFile())
    .map((name) => [`${area}/${name}`, join(CONTROLS_DIR, area, name)] as const),
);

describe('control areas', () => {
  it.each(files)('%s imports only the kernel, the model and its own area', (_name, file) => {
    for (const path of importsOf(file))
      expect(path).toMatch(/^(\.\.\/\.\.\/kernel\/[a-z0-9-]+|\.\.\/\.\.\/model\/[a-z0-9-]+|\.\/[a-z0-9-]+)$/);
  });

  it.each(files.filter(([name]) => !name.endsWith('/support.ts') && !name.endsWith('/index.ts')))(
    '%s does not import another control',
    (name, file) => {
      const area = name.split('/')[0]!;
      const controlFiles = new Set(
        files.filter(([other]) => other.startsWith(`${area}/`)).map(([other]) => `./${other.slice(area.length + 1).replace(/\.ts$/, '')}`),
      );
      const exportsControl = (path: string) =>
        /export const \w+: Control = /.test(readFileSync(join(CONTROLS_DIR, area, `${path.slice(2)}.ts`), 'utf8'));
      for (const path of importsOf(file).filter((p) => controlFiles.has(p))) expect(exportsControl(path)).toBe(false);
    },
  );
});
