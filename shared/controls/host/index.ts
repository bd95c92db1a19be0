import type { Control } from '../../model/control';

/** The host area's controls. */
export const hostControls: Control[] = [];
