/** `trailwarden controls [--format table|json|markdown]` */
import { ALL_CONTROLS } from '../../core/controls';
import { controlDescriptionOf } from '../../core/model/control-metadata';
import { UsageError } from './compose';
import type { Io } from './io';
import { defineCommand, type ParsedArgs } from './command-line';
import { TABLE_ENV } from './shared-options';
import { renderTable, shortenEnd } from './table';
import { outputWidth, severityPainter } from './style';
import { renderControlsMarkdown } from './controls-markdown';

const CONTROLS_OPTIONS = {
  format: { type: 'string', value: 'FORMAT', default: 'table', description: 'table, json (with every field) or markdown' },
} as const;

export async function controlsCommand({ values }: ParsedArgs<typeof CONTROLS_OPTIONS>, io: Io): Promise<number> {
  if (values.format === 'json') {
    io.out(JSON.stringify(ALL_CONTROLS.map(controlDescriptionOf), null, 2));
    return 0;
  }
  if (values.format === 'markdown') {
    io.out(renderControlsMarkdown(ALL_CONTROLS).trimEnd());
    return 0;
  }
  if (values.format !== 'table') throw new UsageError(`--format ${values.format}: expected table, json or markdown`);
  const paint = severityPainter(io);
  io.out(
    renderTable(
      [
        'ID',
        { header: 'SEVERITY', style: (cell, row) => paint(ALL_CONTROLS[row]!.severity, cell) },
        { header: 'TITLE', shorten: shortenEnd },
        'RESOLVES',
      ],
      ALL_CONTROLS.map((c) => [c.id, c.severity, c.title, c.resolution ? 'yes' : 'no']),
      { width: outputWidth(io), giveWay: [{ column: 2, to: 24 }, { column: 3 }] },
    ),
  );
  return 0;
}

export const CONTROLS = defineCommand({
  name: 'controls',
  summary: 'lists the control catalogue with its metadata (rationale, runbook, framework references, patterns)',
  description:
    'Lists the controls: id, severity, title, whether an event resolves them; json and markdown add the rationale, runbook, framework references and patterns (docs/CONTROLS.md is the markdown).',
  options: CONTROLS_OPTIONS,
  environment: TABLE_ENV,
  examples: [
    { what: 'the catalogue', run: 'controls' },
    {
      what: "one control's runbook",
      run: 'controls --format json | jq \'.[] | select(.id == "network.security-group-open-to-internet") | .runbook\'',
    },
  ],
  run: controlsCommand,
});
