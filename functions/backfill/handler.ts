/** The backfill of CloudTrail history: one batch of trail objects from the backfill state machine's distributed map. */
import { backfillFunction } from '../../shared/shells/lambda/backfill';

export const handler = backfillFunction();
