import { MemoryFindingStore } from '../../shared/adapters/store/memory/memory-finding-store';
import { describeFindingStoreContract } from './finding-store-contract';

describeFindingStoreContract('memory', () => new MemoryFindingStore());
