import type { Control } from '../../model/control';

/** The iam area's controls. */
export const iamControls: Control[] = [];
