import { MemoryFindingStore } from '../../shared/store/memory-finding-store';
import { describeFindingStoreContract } from './finding-store-contract';

describeFindingStoreContract('memory', () => new MemoryFindingStore());
