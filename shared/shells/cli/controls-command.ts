/** `trailwarden controls [--format table|json]` */
import { parseArgs } from 'node:util';
import { ALL_CONTROLS } from '../../core/controls';
import { controlDescriptionOf } from '../../core/model/control-metadata';
import { UsageError } from './compose';
import type { Io } from './io';
import { renderTable } from './table';
import { renderControlsMarkdown } from './controls-markdown';

export async function controlsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { format: { type: 'string', default: 'table' } } });
  if (values.format === 'json') {
    io.out(JSON.stringify(ALL_CONTROLS.map(controlDescriptionOf), null, 2));
    return 0;
  }
  if (values.format === 'markdown') {
    io.out(renderControlsMarkdown(ALL_CONTROLS).trimEnd());
    return 0;
  }
  if (values.format !== 'table') throw new UsageError(`--format ${values.format}: expected table, json or markdown`);
  io.out(
    renderTable(
      ['ID', 'SEVERITY', 'TITLE', 'RESOLVES'],
      ALL_CONTROLS.map((c) => [c.id, c.severity, c.title, c.resolution ? 'yes' : 'no']),
    ),
  );
  return 0;
}
