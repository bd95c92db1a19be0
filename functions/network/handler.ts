/** The network area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/aws/compose';
import { networkControls } from '../../shared/controls/network';

export const handler = areaFunction('network', networkControls);
