/** MITRE ATT&CK technique ids in control metadata: well formed, not repeated, and in the summaries readers get. */
import { ALL_CONTROLS } from '../../shared/core/controls';
import { ATTACK_TECHNIQUE_ID, attackTechniqueUrl, controlSummaryOf } from '../../shared/core/model/control-metadata';

const mapped = ALL_CONTROLS.filter((control) => (control.attack?.length ?? 0) > 0);

it('maps controls to ATT&CK techniques', () => {
  expect(mapped.length).toBeGreaterThan(10);
});

it.each(mapped.map((control) => [control.id, control] as const))('%s names well-formed, distinct technique ids', (_id, control) => {
  const ids = control.attack ?? [];
  for (const id of ids) expect(id).toMatch(ATTACK_TECHNIQUE_ID);
  expect(new Set(ids).size).toBe(ids.length);
  expect(controlSummaryOf(control).attack).toEqual(ids);
});

it('links a technique and a sub-technique to their ATT&CK pages', () => {
  expect(attackTechniqueUrl('T1098')).toBe('https://attack.mitre.org/techniques/T1098/');
  expect(attackTechniqueUrl('T1098.001')).toBe('https://attack.mitre.org/techniques/T1098/001/');
});

it('leaves the field out of the summary of a control that maps to none', () => {
  const unmapped = ALL_CONTROLS.find((control) => !control.attack);
  expect(unmapped && 'attack' in controlSummaryOf(unmapped)).toBe(false);
});
