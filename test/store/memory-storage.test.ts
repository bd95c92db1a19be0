/** The in-memory storage (`memoryStorage()`) against the three port contracts. */
import { memoryStorage } from '../../shared/adapters/store/memory';
import { describeExemptionStoreContract } from './exemption-store-contract';
import { describeFindingStoreContract } from './finding-store-contract';
import { describeNotificationWindowStoreContract } from './notification-window-store-contract';

const open = async () => memoryStorage();

describeFindingStoreContract('memory', open);
describeExemptionStoreContract('memory', open);
describeNotificationWindowStoreContract('memory', open);
