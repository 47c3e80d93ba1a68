import { Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { setSyncWave, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';
import { MANAGED_BY, PART_OF } from '../common/labels';
import { checkDnsLabel, checkLabels } from '../common/validate';
import { derivedIngress } from './derived-ingress';
import { IngressRule, NetworkModel, WorkloadTraffic } from './network-model';
import { NetworkPeer, NetworkPort } from './network-peer';
import { DEFAULT_DNS, DnsPeerOptions } from './network-policy-options';

/** Props of {@link WorkloadNetworkPolicies}. */
export interface WorkloadNetworkPoliciesProps {
  /**
   * Namespace the workloads run in (decides which declared peers are "the same namespace").
   * @default the enclosing Chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /**
   * Where the cluster DNS runs.
   * @default kube-system / k8s-app=kube-dns
   */
  readonly dns?: DnsPeerOptions;
  /**
   * Name of a namespace-wide default-deny policy to render as well.
   * @default no default-deny policy
   */
  readonly defaultDenyName?: string;
  /**
   * Labels of every policy.
   * @default app.kubernetes.io/part-of and managed-by
   */
  readonly labels?: Record<string, string>;
}

/** Rules without repeats (an edge declared on both sides, or by two stores). */
function unique<T extends { peer: NetworkPeer; ports: NetworkPort[] }>(rules: T[]): T[] {
  const seen = new Set<string>();
  return rules.filter(r => {
    const key = JSON.stringify([r.peer.toPeer(), r.ports.map(p => [p.port, p.protocol ?? 'TCP'])]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function renderPorts(ports: NetworkPort[]): k8s.NetworkPolicyPort[] {
  return ports.map(p => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' }));
}

/**
 * Renders one NetworkPolicy per workload of the chart's {@link NetworkModel}: explicit
 * `policyTypes: [Ingress, Egress]`, DNS egress, the declared egress, the declared ingress plus the
 * ingress derived from other workloads' egress. Workloads registered before or after this
 * construct get a policy, and rules added later still land (the rules are computed at synth).
 */
export class WorkloadNetworkPolicies extends Construct {
  /** The rendered policies, by workload name. */
  public readonly policies = new Map<string, k8s.KubeNetworkPolicy>();
  /** The default-deny policy, when rendered. */
  public readonly defaultDeny?: k8s.KubeNetworkPolicy;

  private readonly namespace: string;
  private readonly dnsPeer: k8s.NetworkPolicyPeer;
  private readonly labels: Record<string, string>;
  private readonly model: NetworkModel;

  constructor(scope: Construct, id: string, props: WorkloadNetworkPoliciesProps = {}) {
    super(scope, id);
    const ns = props.namespace ?? Chart.of(this).namespace;
    if (ns === undefined) invalid(this, 'namespace', ns, 'set the namespace prop or the enclosing Chart namespace');
    this.namespace = checkDnsLabel(this, 'namespace', ns);
    const dnsNs = checkLabels(this, 'dns.namespaceLabels', props.dns?.namespaceLabels ?? DEFAULT_DNS.namespaceLabels);
    const dnsPods = checkLabels(this, 'dns.podLabels', props.dns?.podLabels ?? DEFAULT_DNS.podLabels);
    if (Object.keys(dnsNs).length === 0) invalid(this, 'dns.namespaceLabels', dnsNs, 'must hold at least one label (an empty selector would open port 53 to every namespace)');
    if (Object.keys(dnsPods).length === 0) invalid(this, 'dns.podLabels', dnsPods, 'must hold at least one label (an empty selector would open port 53 to every pod)');
    this.dnsPeer = { namespaceSelector: { matchLabels: { ...dnsNs } }, podSelector: { matchLabels: { ...dnsPods } } };
    this.labels = { ...checkLabels(this, 'labels', props.labels), 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': MANAGED_BY };

    if (props.defaultDenyName !== undefined) {
      const name = checkDnsLabel(this, 'defaultDenyName', props.defaultDenyName);
      this.defaultDeny = new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
        metadata: { name, labels: this.labels },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      setSyncWave(this.defaultDeny, SyncWave.PREREQUISITES);
    }

    this.model = NetworkModel.of(this);
    this.model.onRegister(w => this.render(w));
  }

  /** The ingress rules `workload` admits: declared plus derived (computed now), without duplicates. */
  public ingressOf(workload: WorkloadTraffic): IngressRule[] {
    return unique([...workload.ingress, ...derivedIngress(this.model.workloads, workload, this.namespace)]);
  }

  private render(w: WorkloadTraffic): void {
    checkDnsLabel(this, `workload ${w.name} name`, w.name);
    checkLabels(this, `workload ${w.name} podLabels`, w.podLabels);
    if (Object.keys(w.podLabels).length === 0) {
      invalid(this, `workload ${w.name} podLabels`, w.podLabels, 'must hold at least one label: a policy must select exactly the workload\'s pods');
    }
    const policy = new k8s.KubeNetworkPolicy(this, `Policy-${w.name}`, {
      metadata: { name: w.name, labels: this.labels },
      spec: {
        podSelector: { matchLabels: { ...w.podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({
          produce: () => this.ingressOf(w).map(r => ({ from: [r.peer.toPeer()], ports: renderPorts(r.ports) })),
        }),
        egress: Lazy.any({
          produce: () => [
            { to: [JSON.parse(JSON.stringify(this.dnsPeer))], ports: renderPorts([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]) },
            ...unique(w.egress).map(r => ({ to: [r.peer.toPeer()], ports: renderPorts(r.ports) })),
          ],
        }),
      },
    });
    setSyncWave(policy, SyncWave.PREREQUISITES);
    this.policies.set(w.name, policy);
  }
}
