/** Inputs of the host allow-list. */
export interface AllowedHostsInput {
  readonly serviceName: string;
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly ingressHosts: string[];
  readonly addresses: string[];
  readonly extra: string[];
  readonly privateNetworks: boolean;
}

/**
 * Private address ranges as MLflow globs: kubelet probes on prefixed paths and Prometheus
 * scrape the pod IP, so its Host header is `<pod IP>:<port>` (MLflow's own default list
 * allows these ranges; setting MLFLOW_SERVER_ALLOWED_HOSTS replaces that default).
 */
const PRIVATE_NETWORK_HOSTS = ['10.*', ...Array.from({ length: 16 }, (_, i) => `172.${16 + i}.*`), '192.168.*', 'localhost', 'localhost:*', '127.0.0.1', '127.0.0.1:*'];

/**
 * MLFLOW_SERVER_ALLOWED_HOSTS: matching is on the raw Host header including the port,
 * so every name is listed bare and with `:*`.
 */
export function allowedHosts(i: AllowedHostsInput): string[] {
  const svc = i.serviceName;
  const names = [
    svc,
    `${svc}.${i.namespace}`,
    `${svc}.${i.namespace}.svc`,
    `${svc}.${i.namespace}.svc.${i.clusterDomain}`,
    ...i.ingressHosts,
    ...i.addresses,
    ...i.extra,
  ];
  const out: string[] = [];
  for (const n of names) {
    out.push(n);
    if (!n.includes(':')) out.push(`${n}:*`);
  }
  if (i.privateNetworks) out.push(...PRIVATE_NETWORK_HOSTS);
  return [...new Set(out)];
}

/** MLFLOW_SERVER_CORS_ALLOWED_ORIGINS: the browser origins of the Ingress hosts. */
export function corsOrigins(ingressHosts: string[], tls: boolean, extra: string[]): string[] {
  return [...new Set([...ingressHosts.map(h => `${tls ? 'https' : 'http'}://${h}`), ...extra])];
}
