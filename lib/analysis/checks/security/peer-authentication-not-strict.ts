import { Check } from '../../check';
import { specOf, WorkloadPolicySpec } from '../../../model/objects';
import { isMeshNamespace, strictMtls } from './mtls';

/** PERMISSIVE or DISABLE mutual TLS, or an application namespace no STRICT PeerAuthentication covers. */
export const peerAuthenticationNotStrict: Check = {
  name: 'PeerAuthenticationNotStrict',
  code: 'EDGE6001',
  severity: 'error',
  kinds: ['PeerAuthentication', 'Namespace'],
  description: 'PERMISSIVE or DISABLE mutual TLS, or an application namespace without STRICT mutual TLS.',
  details: 'Without STRICT mutual TLS, workloads without a mesh identity reach the namespace\'s pods in plain text. Add a STRICT PeerAuthentication (AppNamespace does), or suppress the check with the reason and the date a migration ends.',
  run(index, report) {
    for (const pa of index.ofKind('PeerAuthentication')) {
      const spec = specOf<WorkloadPolicySpec>(pa);
      const mode = spec.mtls?.mode;
      if (mode === 'PERMISSIVE' || mode === 'DISABLE') {
        report(pa, 'spec.mtls.mode', `${mode} lets workloads without a mesh identity in: use STRICT (or suppress this check with the reason and the date the migration ends).`);
      }
      for (const [port, level] of Object.entries(spec.portLevelMtls ?? {})) {
        if (level?.mode === 'PERMISSIVE' || level?.mode === 'DISABLE') report(pa, `spec.portLevelMtls.${port}.mode`, `${level.mode} on port ${port}: use STRICT.`);
      }
    }
    for (const ns of index.ofKind('Namespace')) {
      if (!isMeshNamespace(ns)) continue;
      if (strictMtls(index, ns.metadata?.name ?? '') === undefined) {
        report(ns, 'metadata.name', `Namespace "${ns.metadata?.name}" runs sidecars but no STRICT PeerAuthentication covers it, so plain text is accepted: add one (AppNamespace does).`);
      }
    }
  },
};
