import type { Control } from '../../model/control';

/** The data area's controls. */
export const dataControls: Control[] = [];
