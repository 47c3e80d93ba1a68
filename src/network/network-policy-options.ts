/** Where the cluster DNS runs (egress on UDP and TCP 53 is opened to it). */
export interface DnsPeerOptions {
  /**
   * Labels of the DNS pods' namespace.
   * @default {'kubernetes.io/metadata.name': 'kube-system'}
   */
  readonly namespaceLabels?: Record<string, string>;
  /**
   * Labels of the DNS pods (CoreDNS keeps the historical `k8s-app: kube-dns`).
   * @default {'k8s-app': 'kube-dns'}
   */
  readonly podLabels?: Record<string, string>;
}

/** A client of the server selected by pod labels, namespace labels, or both. */
export interface ClientSelector {
  /**
   * Labels of the client pods, e.g. `{role: 'mlflow-client'}`.
   * @default any pod (of the namespaces matching `namespaceLabels`)
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Labels of the clients' namespaces, e.g. `{'kubernetes.io/metadata.name': 'training'}`.
   * @default the server's own namespace
   */
  readonly namespaceLabels?: Record<string, string>;
}

/** Egress to addresses outside the cluster (AWS S3, STS for IRSA, RDS). */
export interface ExternalEgressOptions {
  /**
   * Add the rule at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Address block.
   * @default '0.0.0.0/0'
   */
  readonly cidr?: string;
  /**
   * Blocks carved out of `cidr` (keep the pod and service networks out).
   * @default ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']
   */
  readonly except?: string[];
  /**
   * TCP ports the server opens to it.
   * @default [443]
   */
  readonly ports?: number[];
}

/**
 * The NetworkPolicies of an MLflow chart: one per workload (server, migration Job, database,
 * object store, clients), each with `policyTypes: [Ingress, Egress]`, DNS egress and exactly the
 * declared connections. An edge declared as egress of one workload to pods of another in the
 * namespace is admitted by the other's policy automatically.
 */
export interface MlflowNetworkPolicyOptions {
  /**
   * Render NetworkPolicies.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Also render a namespace-wide default-deny policy (every pod, both directions, no rule).
   * @default true when the chart renders the Namespace, false otherwise (other tenants' pods)
   */
  readonly defaultDeny?: boolean;
  /**
   * Where the cluster DNS runs.
   * @default kube-system / k8s-app=kube-dns
   */
  readonly dns?: DnsPeerOptions;
  /**
   * Labels of the ingress controller's namespace, admitted to the server port.
   * @default {'kubernetes.io/metadata.name': 'ingress-nginx'} when an Ingress is rendered, none otherwise
   */
  readonly ingressControllerNamespaceLabels?: Record<string, string>;
  /**
   * Labels of the ingress controller pods (narrows the rule above).
   * @default any pod of that namespace
   */
  readonly ingressControllerPodLabels?: Record<string, string>;
  /**
   * Admit Prometheus to the server port (metrics scraping). Under basic-auth `/metrics` needs credentials.
   * @default false
   */
  readonly allowPrometheus?: boolean;
  /**
   * Labels of Prometheus's namespace.
   * @default {'kubernetes.io/metadata.name': 'monitoring'}
   */
  readonly prometheusNamespaceLabels?: Record<string, string>;
  /**
   * Labels of the Prometheus pods (narrows the rule above).
   * @default any pod of that namespace
   */
  readonly prometheusPodLabels?: Record<string, string>;
  /**
   * Port Prometheus scrapes (a separate metrics container port, if the server exposes one).
   * @default the server port
   */
  readonly prometheusPort?: number;
  /**
   * Clients admitted to the server port (besides those wired with `allowClient`).
   * @default none
   */
  readonly clients?: ClientSelector[];
  /**
   * Address blocks admitted to the server port when the Service is a NodePort or LoadBalancer
   * (with `externalTrafficPolicy: Local` the client address is preserved, so the policy sees it).
   * @default the load balancer's `sourceRanges` if set, else the private ranges 10/8, 172.16/12, 192.168/16
   */
  readonly externalClientCidrs?: string[];
  /**
   * Egress of the server to outside the cluster (S3, STS for IRSA) on `ports`, and of the server
   * and migration Job to an external PostgreSQL on 5432 when the backend store declares no egress.
   * Left out, the HTTPS rule is added only when the artifact store declares no egress of its own
   * (the S3 stores declare 443 themselves); set, it is always added. `{enabled: false}` turns it off.
   * @default 0.0.0.0/0 except 10/8, 172.16/12, 192.168/16, for stores that declare nothing
   */
  readonly externalEgress?: ExternalEgressOptions;
}


/** The default DNS peer. */
export const DEFAULT_DNS: Required<DnsPeerOptions> = {
  namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
  podLabels: { 'k8s-app': 'kube-dns' },
};
