import type { IngressRule, WorkloadTraffic } from './network-model';
import { NetworkPeer } from './network-peer';

const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

function isSubset(sub: Record<string, string>, of: Record<string, string>): boolean {
  return Object.entries(sub).every(([k, v]) => of[k] === v);
}

/**
 * Whether an egress peer selects pods of `target` in `namespace`: a pod selector whose labels are a
 * subset of the target's pod labels, in the same namespace (no namespace selector, or one naming
 * exactly this namespace through `kubernetes.io/metadata.name`).
 */
function peerSelectsWorkload(peer: NetworkPeer, target: WorkloadTraffic, namespace: string): boolean {
  const p = peer.toPeer();
  if (p.ipBlock || !p.podSelector) return false;
  if (p.podSelector.matchExpressions?.length) return false;
  if (p.namespaceSelector) {
    const ns = p.namespaceSelector;
    if (ns.matchExpressions?.length) return false;
    const labels = ns.matchLabels ?? {};
    if (Object.keys(labels).length !== 1 || labels[NS_NAME_LABEL] !== namespace) return false;
  }
  return isSubset(p.podSelector.matchLabels ?? {}, target.podLabels);
}

/**
 * The ingress that `target` must admit because other workloads declared egress to it:
 * each edge is declared once, by the side that opens the connection.
 */
export function derivedIngress(workloads: readonly WorkloadTraffic[], target: WorkloadTraffic, namespace: string): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const source of workloads) {
    if (source === target) continue;
    for (const e of source.egress) {
      if (!peerSelectsWorkload(e.peer, target, namespace)) continue;
      // already admitted by a declared rule (the destination named the source itself)
      if (target.ingress.some(r => peerSelectsWorkload(r.peer, source, namespace) && e.ports.every(p => r.ports.some(q => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))))) continue;
      rules.push({ peer: NetworkPeer.pods(source.podLabels), ports: e.ports, description: `from ${source.name}: ${e.description}` });
    }
  }
  return rules;
}
