/** The image area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/shells/lambda/compose';
import { imageControls } from '../../shared/core/controls/image';

export const handler = areaFunction('image', imageControls);
