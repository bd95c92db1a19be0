/** The image area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/aws/compose';
import { imageControls } from '../../shared/controls/image';

export const handler = areaFunction('image', imageControls);
