import { k8s } from 'cdk8s-plus-28';

/** Options of a wait-for-TCP init container. */
export interface WaitForTcpOptions {
  /** Container name. */
  readonly name: string;
  /** An image that has python3 (the MLflow image has). */
  readonly image: string;
  /** Pull policy. */
  readonly imagePullPolicy: string;
  /** What is being waited for, for the log line (e.g. 'database'). */
  readonly what: string;
  /** Host, or an environment variable name ($NAME) that holds it. */
  readonly host?: string;
  /** Port. */
  readonly port?: number;
  /** Name of an environment variable holding a URI to take host and port from (used when set). */
  readonly uriEnv?: string;
  /** Environment (e.g. PGHOST/PGPORT or the URI from a Secret). */
  readonly env: k8s.EnvVar[];
  /** Attempts, 2 s apart. */
  readonly attempts: number;
  /** Security context. */
  readonly securityContext: k8s.SecurityContext;
  /** Resources. */
  readonly resources: k8s.ResourceRequirements;
}

// Reads host/port from WAIT_HOST/WAIT_PORT or from a URI held in $WAIT_URI_ENV; never prints credentials.
export const WAIT_FOR_TCP_SCRIPT = [
  'import os, socket, sys, time, urllib.parse',
  "what = os.environ['WAIT_WHAT']; n = int(os.environ['WAIT_ATTEMPTS'])",
  "host = os.environ.get('WAIT_HOST') or os.environ.get('PGHOST'); port = int(os.environ.get('WAIT_PORT') or os.environ.get('PGPORT') or 5432)",
  "uri = os.environ.get(os.environ.get('WAIT_URI_ENV', ''), '')",
  'if uri:',
  '    u = urllib.parse.urlsplit(uri); host = u.hostname or host; port = u.port or port',
  'if not host:',
  "    print(f'wait-for-{what}: no host configured', file=sys.stderr); sys.exit(2)",
  'for i in range(1, n + 1):',
  '    try:',
  '        socket.create_connection((host, port), timeout=3).close()',
  "        print(f'wait-for-{what}: {host}:{port} is accepting connections', flush=True); sys.exit(0)",
  '    except OSError as e:',
  "        print(f'wait-for-{what}: {host}:{port} not reachable (attempt {i}/{n}): {e}', flush=True); time.sleep(2)",
  "print(f'wait-for-{what}: giving up after {n} attempts', file=sys.stderr); sys.exit(1)",
].join('\n');

/** An init container that waits, with a bounded number of attempts, until a TCP port accepts connections. */
export function waitForTcpContainer(o: WaitForTcpOptions): k8s.Container {
  const env: k8s.EnvVar[] = [
    { name: 'WAIT_WHAT', value: o.what },
    { name: 'WAIT_ATTEMPTS', value: String(o.attempts) },
  ];
  if (o.host) env.push({ name: 'WAIT_HOST', value: o.host });
  if (o.port) env.push({ name: 'WAIT_PORT', value: String(o.port) });
  if (o.uriEnv) env.push({ name: 'WAIT_URI_ENV', value: o.uriEnv });
  const names = new Set(env.map(e => e.name));
  return {
    name: o.name,
    image: o.image,
    imagePullPolicy: o.imagePullPolicy,
    command: ['python3', '-c', WAIT_FOR_TCP_SCRIPT],
    env: [...env, ...o.env.filter(e => !names.has(e.name))],
    securityContext: o.securityContext,
    resources: o.resources,
  };
}
