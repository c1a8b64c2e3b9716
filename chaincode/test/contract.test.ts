/** The fabric-contract-api adapter: transaction names, identity and timestamp mapping. */
import { SUBMIT_TRANSACTIONS, EVALUATE_TRANSACTIONS } from '../src/domain';
import { contracts, HutongContract } from '../src';
import { roleFromId, timestampToIso } from '../src/contract/fabric-world-state';

describe('HutongContract', () => {
  it('exposes exactly one PascalCase transaction per domain transaction, submit vs evaluate as declared', () => {
    expect(contracts).toEqual([HutongContract]);
    const meta = Reflect.getMetadata('fabric:transactions', HutongContract.prototype) as Array<{ name: string; tag: string[] }>;
    const byName = new Map(meta.map((t) => [t.name, t.tag]));
    expect([...byName.keys()].sort()).toEqual([...SUBMIT_TRANSACTIONS, ...EVALUATE_TRANSACTIONS].sort());
    for (const name of SUBMIT_TRANSACTIONS) expect(byName.get(name)).toContain('SUBMIT');
    for (const name of EVALUATE_TRANSACTIONS) expect(byName.get(name)).not.toContain('SUBMIT');
  });

  it('reads the NodeOU role from the X.509 subject', () => {
    expect(roleFromId('x509::/C=CN/ST=Guangdong/OU=admin/CN=Admin@guangdong.hutong.example::/C=CN/CN=ca.guangdong')).toBe('admin');
    expect(roleFromId('x509::/C=MO/OU=client/CN=User1@macau::/C=MO/CN=ca')).toBe('client');
    expect(roleFromId('x509::/C=MO/OU=peer/CN=peer0::/C=MO/CN=ca')).toBe('peer');
    expect(roleFromId('x509::/C=MO/CN=nobody::/C=MO/OU=admin/CN=ca')).toBe('member');
  });

  it('turns the transaction timestamp into ISO-8601 with milliseconds, without the clock', () => {
    expect(timestampToIso({ seconds: 1795669200, nanos: 987_654_321 })).toBe('2026-11-26T05:00:00.987Z');
    expect(timestampToIso({ seconds: { toNumber: () => 0 }, nanos: 0 })).toBe('1970-01-01T00:00:00.000Z');
  });
});
