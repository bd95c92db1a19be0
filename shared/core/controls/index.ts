/** The control catalogue: every area's controls, in area order. */
import type { Control } from '../model/control';
import { imageControls } from './image';
import { hostControls } from './host';
import { networkControls } from './network';
import { dataControls } from './data';
import { iamControls } from './iam';
import { runtimeControls } from './runtime';
import { auditControls } from './audit';

export const ALL_CONTROLS: readonly Control[] = Object.freeze([
  ...imageControls,
  ...hostControls,
  ...networkControls,
  ...dataControls,
  ...iamControls,
  ...runtimeControls,
  ...auditControls,
]);
