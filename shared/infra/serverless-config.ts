/**
 * What serverless.yml reads (`${file(./dist/stack.js):functions}` and `:resources`), built from the
 * control registry and the settings file named by TRAILWARDEN_CONFIG (validated here, so a bad file
 * stops `serverless package` before anything deploys). `node dist/stack.js member-template FILE`
 * writes the member-account template.
 *
 * Loading this module reads nothing: `functions` and `resources` are functions, which the framework
 * calls when it resolves the variable (an exported property that is a function is called, and its
 * return value used). The first call reads the environment and the settings file and builds the
 * stack; the second reuses it.
 */
import { writeFileSync } from 'node:fs';
import { ALL_CONTROLS } from '../core/controls';
import { loadSettings } from '../adapters/config/load-settings';
import { AREAS, type Area } from '../core/model/area';
import type { Control } from '../core/model/control';
import { buildMemberTemplate, buildStack, type Stack } from './stack';
import { minifiedJson, prettyJson } from './template-json';

export function controlsByArea(controls: readonly Control[] = ALL_CONTROLS): Record<Area, Control[]> {
  const grouped = Object.fromEntries(AREAS.map((area) => [area, [] as Control[]])) as Record<Area, Control[]>;
  for (const control of controls) grouped[control.area].push(control);
  return grouped;
}

let built: Stack | undefined;

/** The stack for the settings named by this process's environment, built on first use. */
function stack(): Stack {
  if (!built) {
    const settings = loadSettings(undefined, process.env, new Set(ALL_CONTROLS.map((control) => control.id)));
    built = buildStack({ controlsByArea: controlsByArea(), settings });
  }
  return built;
}

/** serverless.yml's `functions`: the framework calls this when it resolves `${file(./dist/stack.js):functions}`. */
export const functions = (): Stack['functions'] => stack().functions;
/** serverless.yml's `resources`: the framework calls this when it resolves `${file(./dist/stack.js):resources}`. */
export const resources = (): Stack['resources'] => stack().resources;
/** The member-account template (it depends on the controls only, not on the settings). */
export const memberTemplate = (): Record<string, unknown> => buildMemberTemplate(controlsByArea());

/** Where the minified copy of the member template goes when no file is named: beside the pretty one. */
export const minifiedFileFor = (file: string): string =>
  file.endsWith('.json') ? `${file.slice(0, -'.json'.length)}.min.json` : `${file}.min`;

if (require.main === module) {
  const [command, file, minifiedFile = file && minifiedFileFor(file)] = process.argv.slice(2);
  if (command !== 'member-template' || !file || !minifiedFile) {
    process.stderr.write('usage: node dist/stack.js member-template FILE [MINIFIED_FILE]\n');
    process.exit(2);
  }
  const template = memberTemplate();
  writeFileSync(file, prettyJson(template));
  writeFileSync(minifiedFile, minifiedJson(template));
  process.stdout.write(`member-account template written to ${file} (pretty) and ${minifiedFile} (minified)\n`);
}
