import { k8s } from 'cdk8s-plus-28';

/** Another party on the network: pods (here or in another namespace) or an address block. */
export class NetworkPeer {
  /**
   * Pods with these labels, in the same namespace or in the namespaces matching `namespaceLabels`.
   * @param podLabels labels of the pods
   * @param namespaceLabels labels of their namespaces (e.g. `{'kubernetes.io/metadata.name': 'minio'}`); omit for the same namespace
   */
  public static pods(podLabels: Record<string, string>, namespaceLabels?: Record<string, string>): NetworkPeer {
    return new NetworkPeer({
      podSelector: { matchLabels: { ...podLabels } },
      ...(namespaceLabels ? { namespaceSelector: { matchLabels: { ...namespaceLabels } } } : {}),
    });
  }

  /** Every pod of the namespaces matching these labels. */
  public static namespaces(namespaceLabels: Record<string, string>): NetworkPeer {
    return new NetworkPeer({ namespaceSelector: { matchLabels: { ...namespaceLabels } } });
  }

  /** An IP block (CIDR) minus optional exceptions. */
  public static ipBlock(cidr: string, except?: string[]): NetworkPeer {
    return new NetworkPeer({ ipBlock: { cidr, ...(except && except.length ? { except: [...except] } : {}) } });
  }

  private constructor(private readonly peer: k8s.NetworkPolicyPeer) {}

  /** The NetworkPolicy peer (a fresh copy). */
  public toPeer(): k8s.NetworkPolicyPeer {
    return JSON.parse(JSON.stringify(this.peer));
  }
}

/** A port a workload connects to (egress) or accepts (ingress). */
export interface NetworkPort {
  /** Port number. */
  readonly port: number;
  /**
   * Protocol.
   * @default 'TCP'
   */
  readonly protocol?: string;
}

/** One allowed connection from a workload to a peer. */
export interface EgressRule {
  /** Where to. */
  readonly peer: NetworkPeer;
  /** Which ports. */
  readonly ports: NetworkPort[];
  /** Why (appears in tests and reports, not in the manifest). */
  readonly description: string;
}
