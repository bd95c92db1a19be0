/** The runtime area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/shells/lambda/compose';
import { runtimeControls } from '../../shared/core/controls/runtime';

export const handler = areaFunction('runtime', runtimeControls);
