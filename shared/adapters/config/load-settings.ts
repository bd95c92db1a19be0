/**
 * Loads the settings file (YAML or JSON; `--config`, else TRAILWARDEN_CONFIG, else defaults) and
 * validates it completely before anything starts: an unknown key or a wrong type is an error naming
 * the file, line and key path, and every such error is reported at once.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { ALL_CONTROLS } from '../../core/controls';
import { detectionWindowsOf } from '../../core/detections/signal';
import { DEFAULT_SETTINGS, type Settings } from '../../core/settings/settings';
import { SettingsError, pathText, validateSettings } from '../../core/settings/validate-settings';

export { SettingsError, validateSettings, type SettingsIssue } from '../../core/settings/validate-settings';

/**
 * Reads and validates a settings file; throws SettingsError with every problem found. `detectionWindows`:
 * the windows of the stateful controls settings may tune (default: the catalogue's).
 */
export function loadSettingsFile(
  file: string,
  knownControlIds: ReadonlySet<string>,
  detectionWindows: ReadonlyMap<string, readonly string[]> = detectionWindowsOf(ALL_CONTROLS),
): Settings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SettingsError(file, [{ path: '(file)', message: `cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SettingsError(
      file,
      document.errors.map((e) => ({ path: '(syntax)', line: lineCounter.linePos(e.pos[0]).line, message: e.message.split('\n')[0]! })),
    );
  }
  const { settings, issues } = validateSettings(document.toJS(), knownControlIds, detectionWindows);
  if (settings) return settings;
  throw new SettingsError(
    file,
    issues.map(({ path, message }) => {
      const node = path.length > 0 ? document.getIn(path, true) : document.contents;
      const offset = isNode(node) && node.range ? node.range[0] : undefined;
      return { path: pathText(path) || '(root)', ...(offset !== undefined ? { line: lineCounter.linePos(offset).line } : {}), message };
    }),
  );
}

/** `--config`, else TRAILWARDEN_CONFIG, else the defaults. */
export function loadSettings(flag: string | undefined, env: NodeJS.ProcessEnv, knownControlIds: ReadonlySet<string>): Settings {
  const file = flag ?? env.TRAILWARDEN_CONFIG;
  return file ? loadSettingsFile(file, knownControlIds) : { ...DEFAULT_SETTINGS };
}
