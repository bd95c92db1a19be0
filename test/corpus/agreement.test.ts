/**
 * External corpus agreement: the 594 labelled events in ../shared/corpus (public projects' rule
 * tests and attack detonations) run through the same intake and evaluation as `trailwarden replay`,
 * compared by area with the source labels. The corpus is not part of the repository.
 */
import { createEngine } from '../../shared/app/compose';
import { agreementByArea, CORPUS_FILE, corpusPresent, judge, loadCorpus, type CorpusVerdict } from '../support/corpus';
import { DISAGREEMENTS } from './disagreements';

const TARGET = 0.85;
/** Areas with more than this many events must each reach the target. */
const AREA_MINIMUM_EVENTS = 20;

function describeVerdict(verdict: CorpusVerdict): string {
  const { row } = verdict;
  const said = verdict.rejected ? `intake rejected it: ${verdict.rejected}` : `trailwarden raised ${verdict.controls.join(', ') || 'nothing'}`;
  return `${row.id} (${row.area}, ${row.event_name}): source says ${row.expect_violation ? 'violation' : 'no violation'}, ${said}`;
}

if (!corpusPresent()) {
  describe('external corpus agreement', () => {
    it(`is not measured: the corpus is absent at ${CORPUS_FILE} (set TRAILWARDEN_CORPUS to its events.jsonl)`, () => {
      console.warn(`external corpus not found at ${CORPUS_FILE}: agreement not measured`);
      expect(corpusPresent()).toBe(false);
    });
  });
} else {
  describe('external corpus agreement', () => {
    const rows = loadCorpus();
    const verdicts = judge(rows, createEngine());
    const agreement = agreementByArea(verdicts);

    afterAll(() => {
      const lines = agreement.map(({ area, events, agreeing, ratio }) => `${area.padEnd(8)} ${String(agreeing).padStart(4)}/${String(events).padEnd(4)} ${(ratio * 100).toFixed(1)}%`);
      console.log(`corpus agreement by area (${CORPUS_FILE}):\n${lines.join('\n')}`);
    });

    it('reads every corpus row', () => {
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    });

    it('disagrees only where the list in test/corpus/disagreements says why', () => {
      const unexplained = verdicts.filter((verdict) => !verdict.agrees && !(verdict.row.id in DISAGREEMENTS)).map(describeVerdict);
      expect(unexplained).toEqual([]);
    });

    it('lists no disagreement that is not one (stale or unknown ids)', () => {
      const byId = new Map(verdicts.map((verdict) => [verdict.row.id, verdict]));
      const stale = Object.keys(DISAGREEMENTS).filter((id) => byId.get(id)?.agrees !== false);
      expect(stale).toEqual([]);
    });

    it('gives every listed disagreement a reason', () => {
      const blank = Object.entries(DISAGREEMENTS).filter(([, reason]) => reason.trim().length < 10).map(([id]) => id);
      expect(blank).toEqual([]);
    });

    it(`agrees on at least ${TARGET * 100}% overall and in every area with more than ${AREA_MINIMUM_EVENTS} events`, () => {
      const short = agreement
        .filter(({ area, events }) => area === 'all' || events > AREA_MINIMUM_EVENTS)
        .filter(({ ratio }) => ratio < TARGET)
        .map(({ area, agreeing, events, ratio }) => `${area}: ${agreeing}/${events} (${(ratio * 100).toFixed(1)}%)`);
      expect(short).toEqual([]);
    });
  });
}
