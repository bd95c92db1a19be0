/** The network area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/shells/lambda/compose';
import { networkControls } from '../../shared/core/controls/network';

export const handler = areaFunction('network', networkControls);
