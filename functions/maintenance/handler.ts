/** The maintenance sweep, every minute: exemptions that end, and the other timed duties of findings. */
import { maintenanceFunction } from '../../shared/shells/lambda/operations';

export const handler = maintenanceFunction();
