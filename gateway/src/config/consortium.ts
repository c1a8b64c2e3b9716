/**
 * The consortium as data: organisations, their issuers and their recognition policies. `npm start` bootstraps the
 * ledger from it and starts one gateway per organisation; a third jurisdiction is one more entry here (or in the
 * file named by HUTONG_CONSORTIUM), never code.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { inputs } from '@hutong/chaincode/domain';
import { GatewayError } from '../errors/gateway-error.js';
import { OrgConfig } from './config.js';

export const ConsortiumConfig = z
  .strictObject({
    orgs: z.array(OrgConfig.extend({
      port: z.number().int().min(0).max(65535),
      /** The member's names on the ledger (ProposeMembershipChange); absent: `displayName` in all four. */
      displayNames: inputs.localisedNames.optional(),
    })).min(2).max(16),
    issuers: z.array(
      z.strictObject({
        id: inputs.issuerId,
        /** Owning org's `name`. */
        org: z.string(),
        /** Goes to the ledger as is (ProposeIssuer): the chaincode's own bound, checked when the file is read. */
        displayName: inputs.displayName,
        /** The name in zh-Hant, zh-Hans, pt and en, shown to officers in their language. */
        displayNames: inputs.localisedNames.optional(),
        credentialTypes: z.array(inputs.credentialType).min(1),
        kid: inputs.kid,
      }),
    ),
    policies: z.array(
      z.strictObject({
        /** Recognising org's `name`. */
        org: z.string(),
        issuerId: inputs.issuerId,
        credentialType: inputs.credentialType,
        statusMapping: z.record(inputs.statusCode, inputs.statusCode),
        acceptedStatuses: z.array(inputs.statusCode).min(1),
        maxAgeSeconds: z.number().int().min(1),
      }),
    ),
  })
  .superRefine((c, ctx) => {
    const names = new Set(c.orgs.map((o) => o.name));
    c.issuers.forEach((i, n) => { if (!names.has(i.org)) ctx.addIssue({ code: 'custom', path: ['issuers', n, 'org'], message: `unknown org '${i.org}'` }); });
    c.policies.forEach((p, n) => { if (!names.has(p.org)) ctx.addIssue({ code: 'custom', path: ['policies', n, 'org'], message: `unknown org '${p.org}'` }); });
  });

export type ConsortiumConfig = z.output<typeof ConsortiumConfig>;

/** The demo consortium: Guangdong and Macau, one health-code issuer each, recognised both ways. */
export const DEMO_CONSORTIUM: z.input<typeof ConsortiumConfig> = {
  orgs: [
    { name: 'guangdong', mspId: 'GuangdongMSP', jurisdiction: 'guangdong', displayName: 'Guangdong', port: 8441 },
    { name: 'macau', mspId: 'MacauMSP', jurisdiction: 'macau', displayName: 'Macau', port: 8442 },
  ],
  issuers: [
    {
      id: 'gd-health-code', org: 'guangdong', displayName: 'Guangdong Health Code Centre', credentialTypes: ['health-code'], kid: 'gd-hc-2026-1',
      displayNames: { en: 'Guangdong Health Code Centre', pt: 'Centro do Código de Saúde de Guangdong', 'zh-Hans': '广东省健康码中心', 'zh-Hant': '廣東省健康碼中心' },
    },
    {
      id: 'mo-health-bureau', org: 'macau', displayName: 'Macau Health Bureau', credentialTypes: ['health-code'], kid: 'mo-ssm-2026-1',
      displayNames: { en: 'Macau Health Bureau', pt: 'Serviços de Saúde de Macau', 'zh-Hans': '澳门卫生局', 'zh-Hant': '澳門衛生局' },
    },
  ],
  policies: [
    // Macau's rule: a Guangdong code must be green and at most 6 hours old.
    {
      org: 'macau', issuerId: 'gd-health-code', credentialType: 'health-code',
      statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green'], maxAgeSeconds: 6 * 3600,
    },
    {
      org: 'guangdong', issuerId: 'mo-health-bureau', credentialType: 'health-code',
      statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green'], maxAgeSeconds: 24 * 3600,
    },
  ],
};

/**
 * The demo consortium with Hong Kong joined: its Department of Health issues health codes, Macau and Guangdong
 * recognise them, and Hong Kong recognises theirs. On a running network with two members the bootstrap admits Hong
 * Kong by governance (majority approval) and `add-org` puts it on the channel first.
 */
export const HONG_KONG_CONSORTIUM: z.input<typeof ConsortiumConfig> = {
  orgs: [
    ...DEMO_CONSORTIUM.orgs,
    {
      name: 'hongkong', mspId: 'HongKongMSP', jurisdiction: 'hongkong', displayName: 'Hong Kong', port: 8443,
      displayNames: { en: 'Hong Kong', pt: 'Hong Kong', 'zh-Hans': '香港', 'zh-Hant': '香港' },
    },
  ],
  issuers: [
    ...DEMO_CONSORTIUM.issuers,
    {
      id: 'hk-health', org: 'hongkong', displayName: 'Hong Kong Department of Health', credentialTypes: ['health-code'], kid: 'hk-dh-2026-1',
      displayNames: { en: 'Hong Kong Department of Health', pt: 'Departamento de Saúde de Hong Kong', 'zh-Hans': '香港卫生署', 'zh-Hant': '香港衞生署' },
    },
  ],
  policies: [
    ...DEMO_CONSORTIUM.policies,
    ...(['macau', 'guangdong'] as const).map((org) => ({
      org, issuerId: 'hk-health', credentialType: 'health-code',
      statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green'], maxAgeSeconds: 24 * 3600,
    })),
    ...(['gd-health-code', 'mo-health-bureau'] as const).map((issuerId) => ({
      org: 'hongkong', issuerId, credentialType: 'health-code',
      statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green'], maxAgeSeconds: 24 * 3600,
    })),
  ],
};

/** Consortia built in, by the name HUTONG_CONSORTIUM may give instead of a file. */
const BUILT_IN: Readonly<Record<string, z.input<typeof ConsortiumConfig>>> = { demo: DEMO_CONSORTIUM, 'demo-hongkong': HONG_KONG_CONSORTIUM };

export function parseConsortium(raw: unknown, source: string): ConsortiumConfig {
  const parsed = ConsortiumConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new GatewayError('CONFIG_INVALID', `${source} is invalid:\n  ${issues.join('\n  ')}`, { issues });
}

/** The consortium from HUTONG_CONSORTIUM (a JSON file, or `demo` / `demo-hongkong`) or the demo one. */
export function loadConsortium(env: NodeJS.ProcessEnv): ConsortiumConfig {
  const file = env['HUTONG_CONSORTIUM'];
  if (!file) return parseConsortium(DEMO_CONSORTIUM, 'the demo consortium');
  const builtIn = BUILT_IN[file];
  if (builtIn) return parseConsortium(builtIn, `the ${file} consortium`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new GatewayError('CONFIG_INVALID', `cannot read consortium file ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  return parseConsortium(raw, file);
}
