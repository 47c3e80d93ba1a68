import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalid } from '../common/errors';
import { checkDnsLabel, checkEnvName, checkLabels } from '../common/validate';
import { NetworkModel } from '../network/network-model';
import { EgressRule, NetworkPeer } from '../network/network-peer';
import { SecretKey } from '../secrets/secret-source';
import type { MlflowServer } from './mlflow-server';

/** The label every client pod gets; its value names the client workload (its policy selects it). */
export const CLIENT_LABEL = 'mlflow.cdk8s.io/client';

/** MLflow basic-auth credentials of a client (MLFLOW_TRACKING_USERNAME / _PASSWORD from a Secret). */
export interface ClientCredentials {
  /** The user name. */
  readonly username: SecretKey;
  /** The password. */
  readonly password: SecretKey;
}

/** Options of {@link MlflowServer.allowClient}. */
export interface AllowClientOptions {
  /**
   * Extra labels put on the client pods (e.g. `{role: 'mlflow-client'}` for policies of your own).
   * @default only `mlflow.cdk8s.io/client: <workload name>`
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Names of the containers to wire.
   * @default every (non-init) container
   */
  readonly containers?: string[];
  /**
   * Register the client in its chart's NetworkModel, so the chart's NetworkPolicies give it DNS
   * and egress to the server (and, in direct artifact mode, to the artifact store).
   * @default true
   */
  readonly registerNetwork?: boolean;
  /**
   * Extra egress of the client pods (e.g. S3 on 443 in direct artifact mode).
   * @default none
   */
  readonly extraEgress?: EgressRule[];
  /**
   * Basic-auth credentials of the client, when the server runs with `auth`.
   * @default none
   */
  readonly credentials?: ClientCredentials;
}

interface ClientPod {
  readonly name: string;
  readonly chart: Chart;
  addLabel(key: string, value: string): void;
  addEnv(env: k8s.EnvVar[], containers?: string[]): void;
}

/**
 * Lets a client workload reach the tracking server: labels its pods, admits them in the server's
 * NetworkPolicy (across charts: from the client's namespace), registers the client's own traffic,
 * and wires MLFLOW_TRACKING_URI (plus storage settings in direct artifact mode, and the client's
 * basic-auth credentials from a Secret when given) into its containers.
 */
export function allowClient(server: MlflowServer, workload: Construct, options: AllowClientOptions = {}): void {
  const pod = clientPod(server, workload);
  const name = checkDnsLabel(server, 'allowClient workload name', pod.name);
  const extra = checkLabels(server, 'allowClient.podLabels', options.podLabels);
  const podLabels = { [CLIENT_LABEL]: name };
  if ((options.registerNetwork ?? true) && NetworkModel.of(pod.chart).find(name)) {
    invalid(server, 'allowClient workload', name, 'is already registered (a client is allowed once; workload names must be unique per chart)');
  }
  for (const [k, v] of Object.entries({ ...extra, ...podLabels })) pod.addLabel(k, v);

  const env: k8s.EnvVar[] = [{ name: 'MLFLOW_TRACKING_URI', value: server.trackingUri }];
  // Direct artifact mode (--no-serve-artifacts): clients need the store's endpoint and credentials.
  const storageEnv = server.clientArtifactEnv;
  env.push(...storageEnv);
  if (options.credentials) {
    for (const k of ['username', 'password'] as const) {
      if (!(options.credentials[k] instanceof SecretKey)) invalid(server, `allowClient.credentials.${k}`, '(not a SecretKey)', 'must be a SecretKey; never a literal');
    }
    options.credentials.username._bind(server, 'allowClient.credentials.username');
    options.credentials.password._bind(server, 'allowClient.credentials.password');
    env.push(options.credentials.username.toEnvVar('MLFLOW_TRACKING_USERNAME'), options.credentials.password.toEnvVar('MLFLOW_TRACKING_PASSWORD'));
  }
  for (const e of env) checkEnvName(server, 'allowClient env', e.name);
  pod.addEnv(env, options.containers);

  const serverChart = Chart.of(server);
  const sameChart = pod.chart === serverChart;
  const clientNs = pod.chart.namespace;
  if (!sameChart) {
    if (!clientNs) invalid(server, 'allowClient workload namespace', clientNs, "the client's Chart needs a namespace so the server policy can admit it");
    server.traffic.ingress.push({
      peer: NetworkPeer.pods(podLabels, { 'kubernetes.io/metadata.name': clientNs }),
      ports: [{ port: server.port }],
      description: `client ${clientNs}/${name}`,
    });
  }
  if (options.registerNetwork ?? true) {
    const toServer = sameChart
      ? NetworkPeer.pods(server.podSelectorLabels)
      : NetworkPeer.pods(server.podSelectorLabels, { 'kubernetes.io/metadata.name': server.namespace });
    NetworkModel.of(pod.chart).register({
      name,
      podLabels,
      ingress: [],
      egress: [
        { peer: toServer, ports: [{ port: server.port }], description: 'MLflow tracking server' },
        ...(storageEnv.length ? server.artifacts.egress : []),
        ...(options.extraEgress ?? []),
      ],
    });
  }
}

function clientPod(server: MlflowServer, workload: Construct): ClientPod {
  if (workload instanceof kplus.Workload) return kplusPod(workload);
  if (workload instanceof ApiObject && ['Job', 'CronJob', 'Deployment'].includes(workload.kind)) return l1Pod(server, workload);
  return invalid(server, 'allowClient workload', (workload as any)?.node?.path ?? workload, 'must be a cdk8s-plus Job, CronJob or Deployment, or a k8s.KubeJob, KubeCronJob or KubeDeployment');
}

function kplusPod(w: kplus.Workload): ClientPod {
  let n = 0;
  const toEnvValue = (e: k8s.EnvVar): kplus.EnvValue => {
    if (e.value !== undefined) return kplus.EnvValue.fromValue(e.value);
    const s = e.valueFrom?.secretKeyRef;
    if (s) return kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(w, `MlflowClientSecret${n++}`, s.name!), key: s.key });
    const c = e.valueFrom?.configMapKeyRef;
    if (c) return kplus.EnvValue.fromConfigMap(kplus.ConfigMap.fromConfigMapName(w, `MlflowClientConfigMap${n++}`, c.name!), c.key);
    throw new Error(`internal: cannot express env ${e.name} for a cdk8s-plus container`);
  };
  return {
    name: w.name,
    chart: Chart.of(w),
    addLabel: (k, v) => w.podMetadata.addLabel(k, v),
    addEnv: (env, names) => {
      for (const c of selectContainers(w, w.containers, names, x => x.name)) {
        for (const e of env) {
          if (e.name in c.env.variables) invalid(w, `containers[${c.name}].env`, e.name, 'is already set; allowClient wires it');
          c.env.addVariable(e.name, toEnvValue(e));
        }
      }
    },
  };
}

function l1Pod(server: MlflowServer, obj: ApiObject): ClientPod {
  const props = (obj as any).props;
  const template: k8s.PodTemplateSpec | undefined = obj.kind === 'CronJob' ? props?.spec?.jobTemplate?.spec?.template : props?.spec?.template;
  if (!template?.spec?.containers?.length) invalid(server, 'allowClient workload', obj.node.path, 'must have a pod template with at least one container');
  const t = template as any;
  return {
    name: obj.name,
    chart: Chart.of(obj),
    // New objects, never in-place edits: the labels map is often shared with the selector.
    addLabel: (k, v) => { t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, [k]: v } }; },
    addEnv: (env, names) => {
      const containers: k8s.Container[] = t.spec.containers;
      const chosen = new Set(selectContainers(obj, containers, names, c => c.name));
      t.spec = {
        ...t.spec,
        containers: containers.map(c => {
          if (!chosen.has(c)) return c;
          for (const e of env) if ((c.env ?? []).some(x => x.name === e.name)) invalid(obj, `containers[${c.name}].env`, e.name, 'is already set; allowClient wires it');
          return { ...c, env: [...(c.env ?? []), ...env] };
        }),
      };
    },
  };
}

function selectContainers<T>(scope: Construct, all: T[], names: string[] | undefined, nameOf: (c: T) => string | undefined): T[] {
  if (names === undefined) return all;
  for (const n of names) if (!all.some(c => nameOf(c) === n)) invalid(scope, 'allowClient.containers', n, `must name a container of the workload (${all.map(nameOf).join(', ')})`);
  return all.filter(c => names.includes(nameOf(c) ?? ''));
}
