/** The host area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/shells/lambda/compose';
import { hostControls } from '../../shared/core/controls/host';

export const handler = areaFunction('host', hostControls);
