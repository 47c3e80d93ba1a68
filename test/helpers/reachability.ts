/**
 * A small NetworkPolicy evaluator over rendered manifests: is a connection from one endpoint to
 * another allowed by the source's egress AND the destination's ingress? It implements the
 * networking.k8s.io/v1 semantics the library renders (pod/namespace selectors with matchLabels
 * and matchExpressions, ipBlock with except, numeric ports with endPort, policyTypes).
 */

/** A pod (namespace set) or a host outside the cluster (namespace unset). */
export interface Endpoint {
  /** Short name used in the matrix. */
  readonly name: string;
  /** Namespace of a pod; undefined for a host outside the cluster. */
  readonly namespace?: string;
  /** Pod labels. */
  readonly labels?: Record<string, string>;
  /** Namespace labels (default: kubernetes.io/metadata.name). */
  readonly namespaceLabels?: Record<string, string>;
  /** IP address (ipBlock peers match it). */
  readonly ip: string;
}

/** A destination port. */
export interface Port {
  readonly port: number;
  readonly protocol?: string;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

/** Whether an IPv4 address is inside a CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base) / size);
}

/** Label selector semantics (an empty selector matches everything). */
export function selectorMatches(sel: any, labels: Record<string, string> = {}): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const val = labels[e.key];
    if (e.operator === 'In' && !(has && e.values.includes(val))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(val)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function nsLabels(e: Endpoint): Record<string, string> {
  return e.namespaceLabels ?? { 'kubernetes.io/metadata.name': e.namespace! };
}

/** Whether a policy peer (from/to entry) selects an endpoint, for a policy in `policyNs`. */
export function peerMatches(peer: any, policyNs: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => inCidr(other.ip, x));
  }
  if (other.namespace === undefined) return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, nsLabels(other))) return false;
  } else if (other.namespace !== policyNs) {
    return false;
  }
  return peer.podSelector ? selectorMatches(peer.podSelector, other.labels) : true;
}

function portMatches(ports: any[] | undefined, p: Port): boolean {
  if (!ports || ports.length === 0) return true;
  const proto = p.protocol ?? 'TCP';
  return ports.some(x => {
    if ((x.protocol ?? 'TCP') !== proto) return false;
    if (x.port === undefined) return true;
    if (typeof x.port !== 'number') throw new Error(`evaluator: named port ${x.port} not supported`);
    return p.port >= x.port && p.port <= (x.endPort ?? x.port);
  });
}

/** The policies that select a pod for a direction. */
export function policiesSelecting(policies: any[], e: Endpoint, type: 'Ingress' | 'Egress'): any[] {
  if (e.namespace === undefined) return [];
  return policies.filter(p => p.kind === 'NetworkPolicy'
    && (p.metadata.namespace ?? 'default') === e.namespace
    && (p.spec.policyTypes ?? ['Ingress']).includes(type)
    && selectorMatches(p.spec.podSelector, e.labels));
}

function directionAllows(policies: any[], self: Endpoint, other: Endpoint, port: Port, type: 'Ingress' | 'Egress'): boolean {
  const selecting = policiesSelecting(policies, self, type);
  if (selecting.length === 0) return true; // not isolated in this direction
  const rulesKey = type === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = type === 'Ingress' ? 'from' : 'to';
  return selecting.some(p => (p.spec[rulesKey] ?? []).some((r: any) =>
    (r[peersKey] === undefined || r[peersKey].some((peer: any) => peerMatches(peer, p.metadata.namespace ?? 'default', other)))
    && portMatches(r.ports, port)));
}

/** Whether `src` may open a connection to `dst` on `port`. */
export function isAllowed(policies: any[], src: Endpoint, dst: Endpoint, port: Port): boolean {
  return directionAllows(policies, src, dst, port, 'Egress') && directionAllows(policies, dst, src, port, 'Ingress');
}

/** Whether any rendered policy isolates the pod (in either direction). */
export function isIsolated(policies: any[], e: Endpoint): boolean {
  return policiesSelecting(policies, e, 'Ingress').length > 0 || policiesSelecting(policies, e, 'Egress').length > 0;
}

/**
 * Every allowed edge `src -> dst:port/proto` among the endpoints where the source or the
 * destination is isolated by a rendered policy (edges between unrestricted outsiders are left out).
 */
export function reachabilityMatrix(policies: any[], endpoints: Endpoint[], ports: Port[]): string[] {
  const edges: string[] = [];
  for (const src of endpoints) {
    for (const dst of endpoints) {
      if (src === dst) continue;
      if (!isIsolated(policies, src) && !isIsolated(policies, dst)) continue;
      for (const p of ports) {
        if (isAllowed(policies, src, dst, p)) edges.push(`${src.name} -> ${dst.name}:${p.port}/${p.protocol ?? 'TCP'}`);
      }
    }
  }
  return edges.sort();
}
