import type { Control } from '../../model/control';

/** The audit area's controls. */
export const auditControls: Control[] = [];
