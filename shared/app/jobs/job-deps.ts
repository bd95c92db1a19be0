/** What every maintenance job runs over: `(deps, now) => result`. */
import type { Control } from '../../core/model/control';
import type { Settings } from '../../core/settings/settings';
import type { Delivery } from '../delivery/delivery';
import type { Storage } from '../storage';

export interface JobDeps {
  storage: Storage;
  delivery: Delivery;
  settings: Settings;
  /** The whole control catalogue (disabled controls included: their findings still owe what they owe). */
  catalogue: readonly Control[];
}
