// The "e2e on fabric" jest project: startHarness() gives gateways in their own processes on a real Fabric network.
process.env.HUTONG_E2E_LEDGER = 'fabric';
