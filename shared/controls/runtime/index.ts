import type { Control } from '../../model/control';

/** The runtime area's controls. */
export const runtimeControls: Control[] = [];
