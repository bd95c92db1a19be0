/**
 * Silence on compliant changes: a change that complies (a user rotating her own access key, a
 * console password the user must change at first sign-in) raises nothing at LOW or above in any
 * control. Where the change is still worth keeping for auditors, its control records it as an
 * INFORMATIONAL activity record: those samples are named `*-violating-informational-*` under the
 * recording control's folder.
 */
import { basename } from 'node:path';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { ControlRouter } from '../../shared/core/evaluation/router';
import { evaluateEvent } from '../../shared/core/evaluation/evaluate';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { samplesOf } from '../support/samples';

const router = new ControlRouter(ALL_CONTROLS);
const context = { settings: { ...DEFAULT_SETTINGS } };

const recorded = ALL_CONTROLS.flatMap((control) =>
  samplesOf(control)
    .filter((sample) => basename(sample.file).includes('-informational-'))
    .map((sample) => [`${control.id}: ${basename(sample.file)}`, control.id, sample] as const),
);

describe('compliant changes', () => {
  it('include the self-rotation of an access key and a password that must be changed at first sign-in', () => {
    const names = recorded.map(([name]) => name);
    expect(names).toContain('iam.user-credentials-created: 1-violating-informational-own-key-rotated.json');
    expect(names).toContain('iam.user-credentials-created: 1-violating-informational-login-profile-reset-required.json');
  });

  it.each(recorded)('%s is recorded INFORMATIONAL and raises nothing at LOW or above', (_name, controlId, sample) => {
    const evaluation = evaluateEvent(sample.event, router, context);
    expect(evaluation.errors).toEqual([]);
    const severities = evaluation.outcomes.flatMap((outcome) =>
      outcome.violations.map((violation) => `${outcome.control.id} ${violation.severity ?? outcome.control.severity}`),
    );
    expect(severities.filter((entry) => !entry.endsWith(' INFORMATIONAL'))).toEqual([]);
    expect(severities).toContain(`${controlId} INFORMATIONAL`);
  });
});
