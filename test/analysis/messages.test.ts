// The message catalogue: stable, unique codes, istioctl's codes where the meaning is the same,
// and the generated reference page kept up to date.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../lib';
import { MESSAGES, renderMessageCatalogue } from '../../lib/analysis/messages';

describe('message catalogue', () => {
  it('gives every message a unique EDGE code and name, and every check an entry', () => {
    expect(new Set(MESSAGES.map((m) => m.code)).size).toBe(MESSAGES.length);
    expect(new Set(MESSAGES.map((m) => m.name)).size).toBe(MESSAGES.length);
    for (const m of MESSAGES) {
      expect(m.code).toMatch(/^EDGE\d{4}$/);
      if (m.istioCode) expect(m.istioCode).toMatch(/^IST\d{4}$/);
      expect(m.description.length, m.name).toBeGreaterThan(20);
      expect(m.details.length, m.name).toBeGreaterThan(40);
      expect(m.kinds.length, m.name).toBeGreaterThan(0);
    }
    for (const c of CHECKS) expect(MESSAGES.find((m) => m.name === c.name), c.name).toBeDefined();
  });

  it('keeps the codes of the checks that mean what istioctl\'s messages mean', () => {
    const istio = Object.fromEntries(MESSAGES.filter((m) => m.istioCode).map((m) => [m.name, m.istioCode]));
    expect(istio).toMatchObject({
      ReferencedResourceNotFound: 'IST0101', VirtualServiceDestinationPortSelectorRequired: 'IST0112', NoMatchingWorkloadsFound: 'IST0127',
      NoServerCertificateVerification: 'IST0128', VirtualServiceUnreachableRule: 'IST0130', VirtualServiceIneffectiveMatch: 'IST0131',
      VirtualServiceHostNotFoundInGateway: 'IST0132', GatewayDuplicateCertificate: 'IST0138', IngressRouteRulesNotAffected: 'IST0140',
      ConflictingGateways: 'IST0145', ImageAutoWithoutInjection: 'IST0146', JwtClaimBasedRoutingWithoutRequestAuthN: 'IST0149',
      EnvoyFilterUsesRelativeOperation: 'IST0151', EnvoyFilterUsesReplaceOperationIncorrectly: 'IST0152', EnvoyFilterUsesAddOperationIncorrectly: 'IST0153',
      EnvoyFilterUsesRemoveOperationIncorrectly: 'IST0154', InvalidGatewayCredential: 'IST0161', GatewayPortNotDefinedOnService: 'IST0162',
      DestinationRuleSubsetNotSelectPods: 'IST0173', UnknownDestinationRuleHost: 'IST0174',
    });
  });

  it('docs/analysis-messages.md is the generated page (run `npm run docs:messages` after changing a message)', () => {
    expect(readFileSync(join(__dirname, '..', '..', 'docs', 'analysis-messages.md'), 'utf8')).toBe(renderMessageCatalogue());
  });
});
