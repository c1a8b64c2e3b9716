/** The port and folder plan: every listener distinct, two bases never overlap, a third organisation is data. */
import { DEFAULT_ORGS, planNetwork, planPorts } from '../src/network-plan';

const ports = (plan: ReturnType<typeof planNetwork>) => planPorts(plan).map((p) => p.port);

describe('planNetwork', () => {
  it.each(['dev', 'consortium'] as const)('%s: every listener has its own port inside [base, base + 200)', (topology) => {
    const plan = planNetwork({ topology, dir: '/tmp/n', basePort: 21_000 });
    const all = ports(plan);
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p >= 21_000 && p < 21_200).toBe(true);
    expect(plan.orderers).toHaveLength(topology === 'dev' ? 1 : 4);
    expect(plan.orgs.every((o) => o.peers.length === (topology === 'dev' ? 1 : 2))).toBe(true);
    expect(plan.consensus).toBe(topology === 'dev' ? 'etcdraft' : 'BFT');
  });

  it('two networks 200 ports apart share no port', () => {
    const a = new Set(ports(planNetwork({ topology: 'consortium', dir: '/tmp/a', basePort: 21_000 })));
    for (const p of ports(planNetwork({ topology: 'consortium', dir: '/tmp/b', basePort: 21_200 }))) expect(a.has(p)).toBe(false);
  });

  it('a third organisation is one more entry: its own peer, chaincode server, MSP and ports', () => {
    const plan = planNetwork({ topology: 'dev', dir: '/tmp/n', basePort: 21_000, orgs: [...DEFAULT_ORGS, { name: 'hongkong', mspId: 'HongKongMSP' }] });
    expect(plan.orgs.map((o) => o.mspId)).toEqual(['GuangdongMSP', 'MacauMSP', 'HongKongMSP']);
    expect(plan.chaincodeServers.map((c) => c.id)).toEqual(['chaincode.guangdong', 'chaincode.macau', 'chaincode.hongkong']);
    const all = ports(plan);
    expect(new Set(all).size).toBe(all.length);
  });

  it('refuses what cannot form a network, with INVALID_ARGUMENT', () => {
    const bad = [
      { orgs: [DEFAULT_ORGS[0]!] },
      { orgs: [DEFAULT_ORGS[0]!, DEFAULT_ORGS[0]!] },
      { orgs: [DEFAULT_ORGS[0]!, { name: 'Bad Name', mspId: 'BadMSP' }] },
      { basePort: 80 },
      { basePort: 65_500 },
    ];
    for (const extra of bad) {
      expect(() => planNetwork({ topology: 'dev', dir: '/tmp/n', basePort: 21_000, ...extra })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
