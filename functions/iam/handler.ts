/** The iam area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/aws/compose';
import { iamControls } from '../../shared/controls/iam';

export const handler = areaFunction('iam', iamControls);
