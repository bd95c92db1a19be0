/** What request validation shares: the strict date-time form, and the issue it reports. */

/** ISO-8601 date-time with an explicit offset (or Z); dates alone are ambiguous for an expiry. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** One problem with a request: the parameter (body field or query parameter) and why. */
export interface ValidationIssue {
  parameter: string;
  reason: string;
}
