/** Chaincode entry point: fabric-chaincode-node loads `contracts` from here (`main` in package.json). */
import { HutongContract } from './contract/hutong-contract';

export { HutongContract };
export const contracts: Array<typeof HutongContract> = [HutongContract];
