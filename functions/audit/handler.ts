/** The audit area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/aws/compose';
import { auditControls } from '../../shared/controls/audit';

export const handler = areaFunction('audit', auditControls);
