import { K8sObject, podTemplates } from './types';

// Where a rule cannot hold, the object carries the tool's own opt-out annotation with a reason
// (MANIFEST-CHECKLIST.md). These are the opt-outs honoured, per checklist row: kube-linter
// `ignore-check.kube-linter.io/<check>: <reason>`, kube-score `kube-score/ignore: <check>[,<check>]`,
// Polaris `polaris.fairwinds.com/<check>-exempt: "true"`. They may sit on the object or its pod template.
// An opt-out silences the whole row for that object: pin each one with a test.

const KL: Record<number, string[]> = {
  1: ['host-network', 'host-pid', 'host-ipc', 'sensitive-host-mounts', 'docker-sock', 'writable-host-mount'],
  2: ['run-as-non-root'],
  3: ['privilege-escalation-container', 'privileged-container', 'no-read-only-root-fs', 'drop-net-raw-capability'],
  4: ['non-existent-service-account', 'default-service-account'],
  5: ['latest-tag'],
  6: ['unset-cpu-requirements', 'unset-memory-requirements'],
  7: ['no-liveness-probe', 'no-readiness-probe'],
  8: ['env-var-secret', 'duplicate-env-var'],
  9: ['no-anti-affinity'],
  10: ['mismatching-selector'],
  11: ['dangling-service'],
  12: ['dangling-ingress'],
  13: ['non-isolated-pod'],
  15: ['access-to-secrets', 'cluster-admin-role-binding', 'wildcard-in-rules', 'access-to-create-pods'],
};
const KS: Record<number, string[]> = {
  2: ['container-security-context-user-group-id'],
  3: ['container-security-context-privileged', 'container-security-context-readonlyrootfilesystem'],
  5: ['container-image-tag', 'container-image-pull-policy'],
  6: ['container-resources', 'container-ephemeral-storage-request-and-limit'],
  7: ['pod-probes'],
  9: ['deployment-has-poddisruptionbudget', 'deployment-has-host-podantiaffinity', 'statefulset-has-poddisruptionbudget', 'statefulset-has-host-podantiaffinity', 'pod-topology-spread-constraints'],
  11: ['service-targets-pod', 'statefulset-has-servicename'],
  12: ['ingress-targets-service'],
  13: ['pod-networkpolicy', 'networkpolicy-targets-pod'],
};
const PO: Record<number, string[]> = {
  1: ['hostNetworkSet', 'hostPIDSet', 'hostIPCSet', 'hostPortSet', 'hostPathSet'],
  2: ['runAsRootAllowed'],
  3: ['privilegeEscalationAllowed', 'runAsPrivileged', 'notReadOnlyRootFilesystem', 'dangerousCapabilities', 'insecureCapabilities'],
  4: ['automountServiceAccountToken'],
  5: ['tagNotSpecified', 'pullPolicyNotAlways'],
  6: ['cpuRequestsMissing', 'cpuLimitsMissing', 'memoryRequestsMissing', 'memoryLimitsMissing'],
  7: ['readinessProbeMissing', 'livenessProbeMissing'],
  9: ['missingPodDisruptionBudget', 'topologySpreadConstraint'],
  12: ['tlsSettingsMissing'],
  13: ['missingNetworkPolicy'],
};

/** One honoured opt-out. */
export interface Exemption {
  readonly rule: number;
  readonly annotation: string;
  readonly reason: string;
}

function annotationSets(o: K8sObject): Record<string, unknown>[] {
  const sets = [o.metadata?.annotations ?? {}];
  for (const t of podTemplates(o)) {
    const tmpl = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
    if (t.path && tmpl?.metadata?.annotations) sets.push(tmpl.metadata.annotations);
  }
  return sets;
}

/** The rules an object opts out of, with the annotation and its reason. */
export function exemptionsOf(o: K8sObject): Exemption[] {
  const out: Exemption[] = [];
  for (const ann of annotationSets(o)) {
    for (const [key, value] of Object.entries(ann)) {
      if (typeof value !== 'string' || value.trim() === '') continue;
      for (const [rule, checks] of Object.entries(KL)) {
        if (checks.some(c => key === `ignore-check.kube-linter.io/${c}`)) out.push({ rule: Number(rule), annotation: key, reason: value });
      }
      for (const [rule, checks] of Object.entries(PO)) {
        if (checks.some(c => key === `polaris.fairwinds.com/${c}-exempt`) && value === 'true') out.push({ rule: Number(rule), annotation: key, reason: value });
      }
      if (key === 'kube-score/ignore') {
        const ignored = value.split(',').map(s => s.trim());
        for (const [rule, checks] of Object.entries(KS)) {
          if (checks.some(c => ignored.includes(c))) out.push({ rule: Number(rule), annotation: `${key}=${value}`, reason: value });
        }
      }
    }
  }
  return out;
}
