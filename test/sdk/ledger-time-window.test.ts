// The chaincode and the verifier SDK each define the ledger time window (neither depends on the other): one value.
import { LEDGER_TIME_WINDOW_SECONDS as sdkWindow } from '@hutong/verifier-sdk';
import { LEDGER_TIME_WINDOW_SECONDS as chaincodeWindow } from '@hutong/chaincode/domain';

test('the SDK and the chaincode use one ledger time window, Fabric’s default peer.authentication.timewindow (15 min)', () => {
  expect(sdkWindow).toBe(chaincodeWindow);
  expect(sdkWindow).toBe(900);
});
