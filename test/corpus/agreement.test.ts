/**
 * External corpus agreement: the 594 labelled events in ../shared/corpus (public projects' rule
 * tests and attack detonations) run through the same intake and evaluation as `trailwarden replay`,
 * compared by area with the source labels. The corpus is not part of the repository.
 */
import { createEngine } from '../../shared/app/compose';
import { ALL_CONTROLS } from '../../shared/core/controls';
import { DEFAULT_SETTINGS } from '../../shared/core/settings/settings';
import { agreementByArea, CORPUS_FILE, corpusPresent, judge, loadCorpus, type CorpusVerdict } from '../support/corpus';
import { DISAGREEMENTS } from './disagreements';

const TARGET = 0.85;
/** Areas with more than this many events must each reach the target. */
const AREA_MINIMUM_EVENTS = 20;

/**
 * Where the target is not reached, the level reached so far and why the rest is out of reach
 * without contradicting the corpus itself or giving up a detection the catalogue exists for. The
 * test holds these areas at that level, so they can only rise; every row behind them is listed in
 * test/corpus/disagreements with its reason.
 */
const BELOW_TARGET: Record<string, { agreeing: number; why: string }> = {
  iam: {
    agreeing: 107,
    why:
      'of 36 disagreements: 5 rows contradict another row labelling the identical event the other way, 7 records intake refuses (no eventTime, placeholders, lower-case keys), ' +
      '10 are detections the catalogue asks for that the source labels only against another rule (failed console sign-ins, sign-in without MFA, access denied, root use, offensive tools), ' +
      'and 6 come from source rules disabled by default (IAM group reads, a role blocklist)',
  },
  audit: {
    agreeing: 37,
    why: 'of 7 disagreements: 2 rows contradict another row labelling the identical Config event the other way, 2 records intake refuses (placeholders), and 2 need a lookup of which bucket holds the trail',
  },
  all: { agreeing: 499, why: 'the sum of the areas above (iam alone is 15 rows short of 85%)' },
};

function describeVerdict(verdict: CorpusVerdict): string {
  const { row } = verdict;
  const said = verdict.rejected
    ? `intake rejected it: ${verdict.rejected}`
    : `trailwarden raised ${verdict.controls.join(', ') || 'nothing'}`;
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
    const verdicts = judge(rows, createEngine({ ...DEFAULT_SETTINGS }, ALL_CONTROLS));
    const agreement = agreementByArea(verdicts);

    afterAll(() => {
      const lines = agreement.map(
        ({ area, events, agreeing, elsewhere, ratio }) =>
          `${area.padEnd(8)} ${String(agreeing).padStart(4)}/${String(events).padEnd(4)} ${(ratio * 100).toFixed(1).padStart(5)}%` +
          (elsewhere > 0 ? `  (${elsewhere} raised by another area's control)` : '') +
          (ratio < TARGET && (area === 'all' || events > AREA_MINIMUM_EVENTS)
            ? `  below the ${TARGET * 100}% target: ${BELOW_TARGET[area]?.why ?? 'unexplained'}`
            : ''),
      );
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
      const blank = Object.entries(DISAGREEMENTS)
        .filter(([, reason]) => reason.trim().length < 10)
        .map(([id]) => id);
      expect(blank).toEqual([]);
    });

    it(`agrees on at least ${TARGET * 100}% overall and in every area with more than ${AREA_MINIMUM_EVENTS} events, except where BELOW_TARGET says why, and there never less than recorded`, () => {
      const short = agreement
        .filter(({ area, events }) => area === 'all' || events > AREA_MINIMUM_EVENTS)
        .filter(({ area, agreeing, ratio }) => ratio < TARGET && agreeing < (BELOW_TARGET[area]?.agreeing ?? Infinity))
        .map(({ area, agreeing, events, ratio }) => `${area}: ${agreeing}/${events} (${(ratio * 100).toFixed(1)}%)`);
      expect(short).toEqual([]);
    });

    it('lists an area as below target only while it is', () => {
      const reached = agreement.filter(({ area, ratio }) => area in BELOW_TARGET && ratio >= TARGET).map(({ area }) => area);
      expect(reached).toEqual([]);
    });
  });
}
