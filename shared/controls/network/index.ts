import type { Control } from '../../model/control';

/** The network area's controls. */
export const networkControls: Control[] = [];
