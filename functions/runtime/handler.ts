/** The runtime area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/aws/compose';
import { runtimeControls } from '../../shared/controls/runtime';

export const handler = areaFunction('runtime', runtimeControls);
