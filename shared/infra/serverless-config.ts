/**
 * What serverless.yml reads (`${file(./dist/stack.js):functions}` and `:resources`), built from the
 * control registry and the settings file named by TRAILWARDEN_CONFIG (validated here, so a bad file
 * stops `serverless package` before anything deploys). `node dist/stack.js member-template FILE`
 * writes the member-account template.
 */
import { writeFileSync } from 'node:fs';
import { ALL_CONTROLS } from '../core/controls';
import { loadSettings } from '../adapters/config/load-settings';
import { AREAS, type Area } from '../core/model/area';
import type { Control } from '../core/model/control';
import { buildMemberTemplate, buildStack } from './stack';

export function controlsByArea(controls: readonly Control[] = ALL_CONTROLS): Record<Area, Control[]> {
  const grouped = Object.fromEntries(AREAS.map((area) => [area, [] as Control[]])) as Record<Area, Control[]>;
  for (const control of controls) grouped[control.area].push(control);
  return grouped;
}

const settings = loadSettings(undefined, process.env, new Set(ALL_CONTROLS.map((control) => control.id)));
const stack = buildStack({ controlsByArea: controlsByArea(), settings });

export const functions = stack.functions;
export const resources = stack.resources;
export const memberTemplate = buildMemberTemplate(controlsByArea());

if (require.main === module) {
  const [command, file] = process.argv.slice(2);
  if (command !== 'member-template' || !file) {
    process.stderr.write('usage: node dist/stack.js member-template FILE\n');
    process.exit(2);
  }
  writeFileSync(file, `${JSON.stringify(memberTemplate, null, 2)}\n`);
  process.stdout.write(`member-account template written to ${file}\n`);
}
