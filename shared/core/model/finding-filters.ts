/**
 * The filters of the findings API (`GET /api/findings`, `/api/export`) by their query-parameter
 * names: one list for the router that validates them, the contract's FindingFilters type and the
 * dashboard's filter form. `since` and `until` are times; the rest are values of one field.
 */
export const FINDING_FILTERS = [
  'area',
  'status',
  'severity',
  'minSeverity',
  'controlId',
  'framework',
  'requirement',
  'account',
  'region',
  'resource',
  'since',
  'until',
] as const;

export type FindingFilterName = (typeof FINDING_FILTERS)[number];

/** The filters a form gives as plain text (all but the times). */
export const VALUE_FILTERS = FINDING_FILTERS.filter(
  (name): name is Exclude<FindingFilterName, 'since' | 'until'> => name !== 'since' && name !== 'until',
);
