import type { Control } from '../../model/control';

/** The image area's controls. */
export const imageControls: Control[] = [];
