/** docs/CONTROLS.md is generated from the catalogue; this fails when it is stale. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { renderControlsMarkdown } from '../../shared/shells/cli/controls-markdown';
import { runCli } from '../support/cli';

const REFERENCE = resolve(__dirname, '../../docs/CONTROLS.md');

it('docs/CONTROLS.md is current (regenerate: npx trailwarden controls --format markdown > docs/CONTROLS.md)', () => {
  expect(readFileSync(REFERENCE, 'utf8')).toBe(renderControlsMarkdown(ALL_CONTROLS));
});

it('renders every control under its area with severity, frameworks, trigger and resolution', async () => {
  const { code, stdout } = await runCli(['controls', '--format', 'markdown']);
  expect(code).toBe(0);
  for (const control of ALL_CONTROLS) {
    const section = stdout.slice(stdout.indexOf(`### \`${control.id}\``));
    expect(section).toMatch(new RegExp(`^### \`${control.id.replace(/\./g, '\\.')}\``));
    expect(section).toContain(`**Severity:** ${control.severity}`);
    expect(section).toContain(`${control.frameworks[0]!.framework} ${control.frameworks[0]!.requirement}`);
  }
});
