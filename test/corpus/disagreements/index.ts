import { disagreements as audit } from './audit';
import { disagreements as data } from './data';
import { disagreements as host } from './host';
import { disagreements as iam } from './iam';
import { disagreements as image } from './image';
import { disagreements as network } from './network';
import { disagreements as runtime } from './runtime';

/** Every deliberate disagreement on a judged corpus row, by corpus id, with its reason. */
export const DISAGREEMENTS: Record<string, string> = { ...audit, ...data, ...host, ...iam, ...image, ...network, ...runtime };
export { refused as REFUSED } from './refused';
