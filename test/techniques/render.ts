/** docs/coverage.md from the references in ./references: every SigmaHQ AWS rule and Stratus AWS technique, what catches it or why not. */
import { type Coverage, SIGMA_RULES, STRATUS_TECHNIQUES } from './references';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function caughtBy(coverage: Coverage): string {
  return 'controls' in coverage ? coverage.controls.map((id) => `\`${id}\``).join(', ') : 'out of scope';
}

function why(coverage: Coverage): string {
  return cell('controls' in coverage ? (coverage.note ?? '') : coverage.outOfScope);
}

function counts(coverages: Coverage[]): { caught: number; outOfScope: number } {
  const caught = coverages.filter((coverage) => 'controls' in coverage).length;
  return { caught, outOfScope: coverages.length - caught };
}

export function renderCoverageMarkdown(): string {
  const sigma = counts(SIGMA_RULES.map((rule) => rule.coverage));
  const stratus = counts(STRATUS_TECHNIQUES.map((technique) => technique.coverage));
  const lines = [
    '# Coverage of known attacker techniques',
    '',
    '<!-- Generated from test/techniques/references.ts (TRAILWARDEN_WRITE_COVERAGE=1 npx jest test/techniques --selectProjects UTC); a test fails when this file is stale. -->',
    '',
    'Every SigmaHQ AWS CloudTrail rule (`rules/cloud/aws`, and the AWS rules SigmaHQ keeps under `rules-placeholder/` and `unsupported/`; SigmaHQ/sigma at 8eaafff, 2026-08-05) and every Stratus Red Team AWS attack technique (DataDog/stratus-red-team at 7c9a7a5, 2026-08-19), with the trailwarden controls that catch it, or the reason it is out of scope. A rule is caught when a control reports what the rule is about; the note says which part when a control catches less than the whole rule. The controls are described in [CONTROLS.md](CONTROLS.md).',
    '',
    `- SigmaHQ: ${SIGMA_RULES.length} rules, ${sigma.caught} caught, ${sigma.outOfScope} out of scope.`,
    `- Stratus Red Team: ${STRATUS_TECHNIQUES.length} techniques, ${stratus.caught} caught, ${stratus.outOfScope} out of scope.`,
    '',
    '## SigmaHQ AWS CloudTrail rules',
    '',
    '| rule | id | caught by | note, or why out of scope |',
    '| --- | --- | --- | --- |',
    ...SIGMA_RULES.map(
      (rule) => `| ${cell(rule.title)} (\`${rule.path}\`) | \`${rule.id}\` | ${caughtBy(rule.coverage)} | ${why(rule.coverage)} |`,
    ),
    '',
    '## Stratus Red Team AWS techniques',
    '',
    '| technique | id | caught by | note, or why out of scope |',
    '| --- | --- | --- | --- |',
    ...STRATUS_TECHNIQUES.map(
      (technique) => `| ${cell(technique.title)} | \`${technique.id}\` | ${caughtBy(technique.coverage)} | ${why(technique.coverage)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
