/** The data area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/aws/compose';
import { dataControls } from '../../shared/controls/data';

export const handler = areaFunction('data', dataControls);
