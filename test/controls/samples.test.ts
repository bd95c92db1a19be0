/**
 * Table-driven test over every control's bundled sample events: each violating sample makes
 * its control report a violation, each compliant sample does not, and each resolving sample
 * resolves what the violating samples reported. Fails when a control lacks a polarity.
 * Stateful detections have sample sequences instead (test/controls/sequences.test.ts); here,
 * none of their events raises anything on its own.
 */
import { ALL_CONTROLS } from '../../shared/core/controls';
import { ControlRouter } from '../../shared/core/evaluation/router';
import { evaluateEvent } from '../../shared/core/evaluation/evaluate';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { AREAS } from '../../shared/core/model/area';
import { samplesOf, sampleDirOf, sequencesOf, type Sample } from '../support/samples';
import { toEvent } from '../../shared/core/intake/to-event';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const router = new ControlRouter(ALL_CONTROLS);
const context = { settings: { ...DEFAULT_SETTINGS } };

function outcomeFor(sample: Sample, controlId: string) {
  const evaluation = evaluateEvent(sample.event, router, context);
  expect(evaluation.errors).toEqual([]);
  return evaluation.outcomes.find((o) => o.control.id === controlId);
}

describe('control catalogue', () => {
  it('has unique ids of the form <area>.<slug>', () => {
    const ids = ALL_CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const control of ALL_CONTROLS) expect(control.id).toMatch(new RegExp(`^${control.area}\\.[a-z0-9]+(-[a-z0-9]+)*$`));
  });

  it.each(AREAS)('has at least three controls in area %s', (area) => {
    expect(ALL_CONTROLS.filter((c) => c.area === area).length).toBeGreaterThanOrEqual(3);
  });
});

describe.each(ALL_CONTROLS.filter((c) => c.detection).map((c) => [c.id, c] as const))('%s (stateful)', (_id, control) => {
  it(`keeps sequences, not single events, in ${sampleDirOf(control)}`, () => {
    expect(samplesOf(control)).toEqual([]);
    expect(sequencesOf(control).length).toBeGreaterThan(0);
  });

  const events = sequencesOf(control).flatMap((sequence) =>
    sequence.files.map((file) => [`${sequence.name}/${basename(file)}`, file] as const),
  );
  it.each(events)('raises nothing on its own for %s (it is counted)', (_name, file) => {
    const item = toEvent(JSON.parse(readFileSync(file, 'utf8')), { file, line: 1 });
    if (item.kind !== 'event') throw new Error(`${file}: ${item.reason}`);
    const evaluation = evaluateEvent(item.event, router, context);
    expect(evaluation.errors).toEqual([]);
    expect(evaluation.outcomes.find((o) => o.control.id === control.id)?.violations ?? []).toEqual([]);
  });
});

describe.each(ALL_CONTROLS.filter((c) => !c.detection).map((c) => [c.id, c] as const))('%s', (_id, control) => {
  const samples = samplesOf(control);
  const of = (polarity: Sample['polarity']) => samples.filter((s) => s.polarity === polarity);

  it('documents itself: title, rationale, runbook, framework references', () => {
    expect(control.title.length).toBeGreaterThan(5);
    expect(control.rationale.length).toBeGreaterThan(20);
    expect(control.runbook.length).toBeGreaterThan(0);
    expect(control.frameworks.length).toBeGreaterThan(0);
    expect(control.patterns.length).toBeGreaterThan(0);
  });

  it(`has violating and compliant samples in ${sampleDirOf(control)}`, () => {
    expect(of('violating').length).toBeGreaterThan(0);
    expect(of('compliant').length).toBeGreaterThan(0);
    if (control.resolution) expect(of('resolving').length).toBeGreaterThan(0);
    else expect(of('resolving')).toEqual([]);
  });

  it.each(of('violating').map((s) => [basename(s.file), s] as const))('reports a violation for %s', (_name, sample) => {
    const outcome = outcomeFor(sample, control.id);
    expect(outcome?.violations.length ?? 0).toBeGreaterThan(0);
    for (const violation of outcome!.violations) {
      expect(violation.resourceId).toBeTruthy();
      expect(violation.resourceType).toMatch(/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      expect(violation.message).toBeTruthy();
    }
  });

  it.each(of('compliant').map((s) => [basename(s.file), s] as const))('reports nothing for %s', (_name, sample) => {
    expect(outcomeFor(sample, control.id)?.violations ?? []).toEqual([]);
  });

  const resolving = of('resolving');
  // jest refuses an empty table; a control without resolution is held to having no resolving samples above.
  if (resolving.length > 0) {
    it.each(resolving.map((s) => [basename(s.file), s] as const))(
      '%s resolves a violation the violating samples reported',
      (_name, sample) => {
        const violated = of('violating').flatMap((v) =>
          (outcomeFor(v, control.id)?.violations ?? []).map((violation) => ({
            violation,
            account: v.event.account,
            region: v.event.region,
          })),
        );
        const resolutions = outcomeFor(sample, control.id)?.resolutions ?? [];
        expect(resolutions.length).toBeGreaterThan(0);
        const resolvesOne = resolutions.some((r) =>
          violated.some(
            ({ violation, account, region }) =>
              account === sample.event.account &&
              region === sample.event.region &&
              r.resourceId === violation.resourceId &&
              (r.qualifier === undefined || r.qualifier === violation.qualifier),
          ),
        );
        expect(resolvesOne).toBe(true);
      },
    );
  }
});
