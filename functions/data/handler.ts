/** The data area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/shells/lambda/compose';
import { dataControls } from '../../shared/core/controls/data';

export const handler = areaFunction('data', dataControls);
