/** The iam area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/shells/lambda/compose';
import { iamControls } from '../../shared/core/controls/iam';

export const handler = areaFunction('iam', iamControls);
