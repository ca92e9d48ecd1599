// `npm run plan`: the program loaded the way `pulumi up` loads it (node --import tsx, CommonJS
// require of Pulumi.yaml's main), under mocks, in a process of its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

function plan(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/plan.ts', ...args], { encoding: 'utf8' });
}

describe('npm run plan', () => {
  it('Pulumi.yaml runs apps/pulumi.ts through the same loader the plan uses', () => {
    const project = parse(readFileSync('Pulumi.yaml', 'utf8'));
    expect(project.main).toBe('apps/pulumi.ts');
    expect(project.runtime).toEqual({ name: 'nodejs', options: { typescript: false, nodeargs: '--import tsx' } });
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.plan).toBe('node --import tsx apps/plan.ts');
  });

  it('prints the prod plan: zones 1-3 on every pool, a standard load balancer, a zone-redundant static IP', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'apps/plan.ts', 'prod', '--json'], { encoding: 'utf8' }));
    const rows = Object.fromEntries(out.rows.map((r: any) => [r.type, r.details]));
    expect(rows['azure-native:containerservice:ManagedCluster']).toMatch(/tier Standard, lb standard, azure\/overlay, pool system \(System\) \S+ 3-5 zones 1,2,3/);
    expect(rows['azure-native:containerservice:AgentPool']).toMatch(/apps[0-9a-f]{4} \(User\) \S+ 3-12 zones 1,2,3/);
    expect(rows['azure-native:network:PublicIPAddress']).toBe('pip-shop-prod-ingress Standard Static zones 1,2,3');
    expect(out.counts['kubernetes:networking.istio.io/v1:Gateway']).toBe(1);
    expect(out.outputs.kubeconfig).toBe('[secret]');
    // The README's prod excerpt (README, "The offline plan": its first block) is this output, row for row.
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### The offline plan'));
    const block = /```text\n([\s\S]*?)```/.exec(section)![1].split('\n').filter(Boolean);
    const shown = out.rows.map((r: any) => `+ ${r.type}  ${r.name}  ${r.details}`);
    const excerptRows = block.filter((l) => l.startsWith('+ '));
    expect(excerptRows.length).toBeGreaterThan(5);
    for (const line of excerptRows) expect(shown, line).toContain(line);
    expect(block).toContain(`Istio (helm): ${out.outputs.istio.step}`);
    expect(section).toContain(`among its ${Object.values(out.counts as Record<string, number>).reduce((a, b) => a + b, 0)} resources`);
  });

  it('prints a readable table', () => {
    const { stdout, status } = plan('dev');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\+ azure-native:network:PublicIPAddress +edge-ingress-ip +pip-shop-dev-ingress Standard Static zones 1,2,3$/m);
    expect(stdout).toMatch(/Edge objects applied \(56\)/);
  });

  it('--preview: what Azure computes is <unknown>, as `pulumi preview` shows it', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'apps/plan.ts', 'prod', '--json', '--preview'], { encoding: 'utf8' }));
    expect(out.outputs).toMatchObject({ kubeconfig: '<unknown>', clusterName: '<unknown>', ingressIp: '<unknown>', gatewayIdentityClientId: '<unknown>', hostnames: ['shop.example.com', 'www.shop.example.com'] });
    const rows = out.rows.filter((r: any) => r.type === 'azure-native:authorization:RoleAssignment');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.details).toMatch(/ on <unknown> for (Group|User|ServicePrincipal) \S+$/);
    expect(out.counts['secrets-store.csi.x-k8s.io/v1:SecretProviderClass'] ?? out.counts['kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass']).toBe(1);
  });

  it('refuses an unknown stack', () => {
    const { stderr, status } = plan('staging');
    expect(status).toBe(2);
    expect(stderr).toMatch(/No stack "staging": Pulumi.staging.yaml does not exist/);
  });
});
