import { checkArgoCd } from './argocd';
import { checkCrossObject } from './cross-object';
import { exemptionsOf } from './exemptions';
import { checkObjectPolicy } from './policy';
import { defaultCrdDirs, checkSchema } from './schema';
import { checkSecrets } from './secrets';
import { CheckOptions, K8sObject, objectId, Reporter, Violation } from './types';

export * from './types';
export { checkYamlText } from './yaml';
export { encodings, URI_WITH_PASSWORD } from './secrets';
export { phaseOf, PHASES } from './argocd';
export { exemptionsOf } from './exemptions';
export type { Exemption } from './exemptions';

/** The rules of ../shared/MANIFEST-CHECKLIST.md that `checkManifests` implements (19 and 21 also need the YAML text or two runs: see checkYamlText and the determinism test). */
export const RULES: Record<number, string> = {
  1: 'no host namespaces/ports/paths; allowed volume types only',
  2: 'pod securityContext: non-root, ids >= 10000, fsGroup, seccomp RuntimeDefault',
  3: 'container securityContext: no escalation, not privileged, drop ALL, read-only root FS',
  4: 'no service account token; dedicated ServiceAccount that exists',
  5: 'image pinned; imagePullPolicy explicit',
  6: 'cpu, memory, ephemeral-storage requests and limits as strings',
  7: 'readiness and liveness probes that differ; probe ports exist',
  8: 'env names unique; no literal credential values',
  9: 'replicas >= 2: PDB, hostname anti-affinity, topology spread',
  10: 'selectors match template labels; instance label consistent',
  11: 'Services select pods; IANA port names; headless Service for StatefulSets; referenced ConfigMaps exist',
  12: 'Ingress: TLS, backend Service and port exist, pathType',
  13: 'NetworkPolicy: coverage (Ingress+Egress), explicit policyTypes, DNS egress, no bare 0.0.0.0/0, selects a pod',
  14: 'stable apiVersions',
  15: 'RBAC: no wildcards, cluster-admin or pods/exec; resourceNames',
  16: 'DNS-1123 names; valid labels; string annotations',
  17: 'ServiceMonitor endpoints name a Service port and set a path',
  18: 'no Secret data; no credentials in env, ConfigMaps, args, annotations, URIs; no canary',
  19: 'parses identically under YAML 1.1 and 1.2',
  20: 'Argo CD: integer sync waves in order, Job hooks with TTL and delete policy, no tracking-id, protected PVCs',
  21: 'deterministic output; no duplicate objects',
  22: 'schema: right types, no unknown fields',
};

/**
 * Checks a set of Kubernetes objects (one deployment's output) against every rule that can be decided
 * on the objects themselves. Unknown kinds (custom resources) get the generic rules only.
 */
export function checkManifests(objects: K8sObject[], options: CheckOptions = {}): Violation[] {
  const r = new Reporter();
  const objs = objects.filter(o => o !== undefined && o !== null);
  const crdDirs = options.crdDirs ?? defaultCrdDirs();
  for (const o of objs) {
    checkSchema(o, r, crdDirs);
    checkObjectPolicy(o, r);
    checkSecrets(o, r, options.canaries ?? []);
  }
  checkCrossObject(objs, r, {
    requireNetworkPolicies: options.requireNetworkPolicies ?? true,
    requireIngressTls: options.requireIngressTls ?? true,
  });
  checkArgoCd(objs, r, options.requireSyncWaves ?? true);
  const skip = new Set(options.skipRules ?? []);
  // The tools' own opt-out annotations (with a reason) silence a row for that object.
  const exempt = new Set<string>();
  for (const o of objs) for (const e of exemptionsOf(o)) exempt.add(`${objectId(o)}#${e.rule}`);
  return r.violations.filter(v => !skip.has(v.rule) && !exempt.has(`${v.object}#${v.rule}`));
}

/** One line per violation, for test failure messages. */
export function formatViolations(violations: Violation[]): string {
  return violations.map(v => `rule ${v.rule} [${v.origin.join('/')}] ${v.object} ${v.path}: ${v.message}`).join('\n');
}
