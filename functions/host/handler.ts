/** The host area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/aws/compose';
import { hostControls } from '../../shared/controls/host';

export const handler = areaFunction('host', hostControls);
