/**
 * docs/coverage.md lists every SigmaHQ AWS CloudTrail rule and every Stratus Red Team AWS technique with the
 * controls that catch it or why it is out of scope; it is rendered from test/techniques/references.ts. This fails
 * when the file is stale or names a control the catalogue does not have. Regenerate:
 * `TRAILWARDEN_WRITE_COVERAGE=1 npx jest test/techniques --selectProjects UTC`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { type Coverage, SIGMA_RULES, STRATUS_TECHNIQUES } from './references';
import { renderCoverageMarkdown } from './render';

const COVERAGE = resolve(__dirname, '../../docs/coverage.md');
const ids = new Set(ALL_CONTROLS.map((control) => control.id));
const references: Array<[string, Coverage]> = [
  ...SIGMA_RULES.map((rule) => [`sigma ${rule.path}`, rule.coverage] as [string, Coverage]),
  ...STRATUS_TECHNIQUES.map((technique) => [`stratus ${technique.id}`, technique.coverage] as [string, Coverage]),
];

if (process.env.TRAILWARDEN_WRITE_COVERAGE === '1') writeFileSync(COVERAGE, renderCoverageMarkdown());

it('docs/coverage.md is current', () => {
  expect(readFileSync(COVERAGE, 'utf8')).toBe(renderCoverageMarkdown());
});

it('lists each SigmaHQ rule and Stratus technique once', () => {
  expect(new Set(SIGMA_RULES.map((rule) => rule.id)).size).toBe(SIGMA_RULES.length);
  expect(new Set(SIGMA_RULES.map((rule) => rule.path)).size).toBe(SIGMA_RULES.length);
  expect(new Set(STRATUS_TECHNIQUES.map((technique) => technique.id)).size).toBe(STRATUS_TECHNIQUES.length);
  for (const rule of SIGMA_RULES) expect(rule.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  for (const technique of STRATUS_TECHNIQUES) expect(technique.id).toMatch(/^aws\.[a-z-]+\.[a-z0-9-]+$/);
});

it.each(references)('%s names controls of the catalogue, or why it is out of scope', (_name, coverage) => {
  if ('controls' in coverage) {
    expect(coverage.controls.length).toBeGreaterThan(0);
    expect(coverage.controls.filter((id) => !ids.has(id))).toEqual([]);
  } else expect(coverage.outOfScope.length).toBeGreaterThan(20);
});
