/** The audit area's Lambda function: EventBridge events in, findings and notifications out. */
import { areaFunction } from '../../shared/shells/lambda/compose';
import { auditControls } from '../../shared/core/controls/audit';

export const handler = areaFunction('audit', auditControls);
