import { Chart, Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ArtifactServing } from '../artifacts/artifact-serving';
import { ArtifactStoreBinding } from '../artifacts/artifact-store';
import { configureBasicAuth } from '../auth/basic-auth';
import { clientConfigMap, grantClientConfigRead } from '../rbac/client-config';
import { grantServerApiRead, ServerApiReadOptions } from '../rbac/server-api-read';
import { BackendStoreBinding } from '../backend/backend-store';
import { setSyncWave, SyncWave } from '../common/argocd';
import { CREDENTIAL_ENV_NAME } from '../common/credentials';
import { invalid } from '../common/errors';
import { selectorLabels, standardLabels } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/pod-security';
import { renderResources, resources } from '../common/resources';
import {
  checkAnnotations, checkDnsLabel, checkDnsSubdomain, checkDuration, checkEnvName, checkHostname, checkInt, checkLabels, checkNoCredential, checkPort, checkSize,
} from '../common/validate';
import { waitForTcpContainer } from '../common/wait-for';
import { enableServerMetrics, METRICS_PATH } from '../monitoring/server-metrics';
import { NetworkModel, WorkloadTraffic } from '../network/network-model';
import { allowClient, AllowClientOptions } from './allow-client';
import { allowedHosts, corsOrigins } from './allowed-hosts';
import { MlflowIngress } from './mlflow-ingress';
import { MlflowImage } from './mlflow-image';
import { MlflowServerProps } from './mlflow-server-props';
import { MigrationJob } from './migration-job';
import { checkPodVolumes } from './pod-volumes';
import { ServiceExposure } from './service-exposure';
import { workloadServiceAccount } from '../common/workload-identity';

/** Default requests and limits of the server container. */
const SERVER_DEFAULT_RESOURCES = resources(['250m', '1'], ['1Gi', '2Gi'], ['1Gi', '4Gi']);

const PORT_NAME = 'http';

/**
 * The MLflow tracking server: Deployment, Service, ServiceAccount, optional Ingress and
 * PodDisruptionBudget, and the schema migration Job, wired to a backend and an artifact store.
 */
export class MlflowServer extends Construct {
  /** Base name of every object. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** app.kubernetes.io/instance. */
  public readonly instance: string;
  /** The image. */
  public readonly image: MlflowImage;
  /** The Service port. */
  public readonly port: number;
  /** Name of the Service port (for ServiceMonitors and Ingress backends). */
  public readonly portName = PORT_NAME;
  /** Labels that select the server pods. */
  public readonly podSelectorLabels: Record<string, string>;
  /** In-cluster URL of the tracking server (MLFLOW_TRACKING_URI for clients). */
  public readonly trackingUri: string;
  /** How the backend store is reached. */
  public readonly backend: BackendStoreBinding;
  /** How the artifact store is used. */
  public readonly artifacts: ArtifactStoreBinding;
  /** Whether the server proxies artifacts or clients reach the store directly. */
  public readonly artifactServing: ArtifactServing;
  /**
   * Environment a client needs to reach the artifact store itself: empty when artifacts are
   * proxied (clients need only MLFLOW_TRACKING_URI); the store's endpoint, TLS settings and
   * Secret-backed credentials in direct mode.
   */
  public readonly clientArtifactEnv: k8s.EnvVar[];
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  public readonly service: k8s.KubeService;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The migration Job, when rendered. */
  public readonly migration?: MigrationJob;
  /** The Ingress, when rendered. */
  public readonly ingress?: MlflowIngress;
  /** The server pods' declared traffic (NetworkPolicy source); rules may be added to it. */
  public readonly traffic: WorkloadTraffic;
  /** The PodDisruptionBudget, when rendered (replicas ≥ 2). */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** Path of the Prometheus endpoint on the `http` port, when metrics are on. */
  public readonly metricsPath?: string;

  private readonly env: k8s.EnvVar[] = [];
  private readonly args: string[];
  private readonly volumes: k8s.Volume[] = [];
  private readonly mounts: k8s.VolumeMount[] = [];
  private readonly initContainers: k8s.Container[] = [];

  constructor(scope: Construct, id: string, props: MlflowServerProps) {
    super(scope, id);
    this.name = checkDnsLabel(this, 'name', props.name ?? 'mlflow', 40);
    const ns = props.namespace ?? Chart.of(this).namespace;
    if (ns === undefined) invalid(this, 'namespace', ns, 'set the namespace prop or the enclosing Chart namespace (the Service DNS names depend on it)');
    this.namespace = checkDnsLabel(this, 'namespace', ns);
    this.instance = checkDnsLabel(this, 'instance', props.instance ?? this.name);
    this.image = props.image ?? MlflowImage.official();
    if (!(this.image instanceof MlflowImage)) invalid(this, 'image', this.image, 'must be MlflowImage.official(...) or MlflowImage.custom(...)');
    this.image._validate(this, 'image');
    this.port = checkPort(this, 'port', props.port ?? 5000);
    const replicas = checkInt(this, 'replicas', props.replicas ?? 1, 0, 100);
    const workers = checkInt(this, 'workers', props.workers ?? 2, 1, 64);
    const waitAttempts = checkInt(this, 'waitAttempts', props.waitAttempts ?? 90, 1, 10000);
    const staticPrefix = checkStaticPrefix(this, props.staticPrefix);
    const clusterDomain = checkDnsSubdomain(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local');
    const exposure = props.service ?? ServiceExposure.clusterIp();
    if (!(exposure instanceof ServiceExposure)) invalid(this, 'service', exposure, 'must be ServiceExposure.clusterIp(), .nodePort(...) or .loadBalancer(...)');
    exposure._validate(this, 'service');
    const podLabels = checkLabels(this, 'podLabels', props.podLabels);
    const podAnnotations = checkAnnotations(this, 'podAnnotations', props.podAnnotations);
    for (const s of props.imagePullSecrets ?? []) checkDnsSubdomain(this, 'imagePullSecrets', s);
    if (props.priorityClassName !== undefined) checkDnsSubdomain(this, 'priorityClassName', props.priorityClassName);
    const nodeSelector = props.nodeSelector ? checkLabels(this, 'nodeSelector', props.nodeSelector) : undefined;

    const meta = { name: 'mlflow', instance: this.instance, component: 'server', version: this.image.mlflowVersion };
    const labels = standardLabels(meta);
    this.podSelectorLabels = selectorLabels(meta);
    const svcHost = `${this.name}.${this.namespace}.svc.${clusterDomain}`;
    this.trackingUri = `http://${svcHost}:${this.port}${staticPrefix ?? ''}`;

    // Stores
    const bindOptions = { name: this.name, namespace: this.namespace, instance: this.instance, clusterDomain };
    this.backend = props.backendStore.bind(this, bindOptions);
    this.artifacts = props.artifactStore.bind(this, bindOptions);
    this.artifactServing = props.artifactServing ?? ArtifactServing.PROXIED;
    if (!Object.values(ArtifactServing).includes(this.artifactServing)) invalid(this, 'artifactServing', this.artifactServing, 'must be ArtifactServing.PROXIED or ArtifactServing.DIRECT');
    this.clientArtifactEnv = this.artifactServing === ArtifactServing.DIRECT ? [...(this.artifacts.clientEnv ?? [])] : [];
    // what the pods may open and accept: the single source of their NetworkPolicy (rules are added later too)
    this.traffic = NetworkModel.of(this).register({
      name: this.name,
      podLabels: this.podSelectorLabels,
      ingress: [],
      egress: [...this.backend.egress, ...this.artifacts.egress],
    });

    // ServiceAccount
    const saAnnotations = {
      ...checkAnnotations(this, 'serviceAccountAnnotations', props.serviceAccountAnnotations),
      ...this.artifacts.serviceAccountAnnotations,
    };
    this.serviceAccount = workloadServiceAccount(this, this.name, labels, saAnnotations);

    // Ingress (before env: its hosts feed the allow-list)
    if (props.ingress) {
      this.ingress = new MlflowIngress(this, 'Ingress', {
        name: this.name, labels, options: props.ingress, serviceName: this.name, portName: PORT_NAME, staticPrefix,
      });
    }
    const ingressHosts = this.ingress?.hosts ?? [];
    for (const h of props.allowedHosts ?? []) checkHostname(this, 'allowedHosts', h.replace(/^\*\./, 'x.'));

    // Environment
    this.addEnv({ name: 'HOME', value: '/tmp' });
    this.addEnv({ name: 'PYTHONDONTWRITEBYTECODE', value: '1' });
    this.addEnv({ name: 'MLFLOW_DISABLE_TELEMETRY', value: 'true' });
    this.addEnv({ name: 'DO_NOT_TRACK', value: 'true' });
    this.addEnv({ name: 'MLFLOW_SERVER_ENABLE_JOB_EXECUTION', value: props.enableJobExecution ? 'true' : 'false' });
    this.addEnv({
      name: 'MLFLOW_SERVER_ALLOWED_HOSTS',
      value: allowedHosts({
        serviceName: this.name,
        namespace: this.namespace,
        clusterDomain,
        ingressHosts,
        addresses: exposure.addresses,
        extra: props.allowedHosts ?? [],
        privateNetworks: props.allowPrivateNetworkHosts ?? true,
      }).join(','),
    });
    for (const o of props.corsOrigins ?? []) {
      if (typeof o !== 'string' || o.length === 0 || /[\s,]/.test(o)) invalid(this, 'corsOrigins', o, "each must be one origin such as 'https://notebooks.example.com' (no commas or spaces)");
      checkNoCredential(this, 'corsOrigins', o);
    }
    const origins = corsOrigins(ingressHosts, !props.ingress?.disableTls, props.corsOrigins ?? []);
    if (origins.length) this.addEnv({ name: 'MLFLOW_SERVER_CORS_ALLOWED_ORIGINS', value: origins.join(',') });
    for (const e of [...this.backend.env, ...this.artifacts.env]) this.addEnv(e);
    for (const [k, v] of Object.entries(props.env ?? {})) {
      if (CREDENTIAL_ENV_NAME.test(k)) invalid(this, `env.${k}`, '(value hidden)', 'names that look like credentials (password, secret, token, key) must come from a Secret: use secretEnv (a *_FILE, *_PATH or *_DIR name may be plain)');
      if (typeof v !== 'string') invalid(this, `env.${k}`, v, 'environment variable values must be strings');
      this.addEnv({ name: k, value: checkNoCredential(this, `env.${k}`, v) });
    }
    for (const [k, ref] of Object.entries(props.secretEnv ?? {})) {
      ref._bind(this, `secretEnv.${k}`);
      this.addEnv(ref.toEnvVar(k));
    }
    for (const src of props.envFromSecrets ?? []) src._bind(this, 'envFromSecrets');

    // Arguments
    this.args = ['server', '--host', '0.0.0.0', '--port', String(this.port), '--workers', String(workers)];
    if (this.backend.uri) this.args.push('--backend-store-uri', this.backend.uri);
    if (this.artifactServing === ArtifactServing.DIRECT) {
      this.args.push('--no-serve-artifacts', '--default-artifact-root', this.artifacts.destination);
    } else {
      this.args.push('--serve-artifacts', '--artifacts-destination', this.artifacts.destination);
    }
    if (staticPrefix) this.args.push('--static-prefix', staticPrefix);
    this.args.push(...(props.extraArgs ?? []).map(a => checkNoCredential(this, 'extraArgs', a)));

    // Volumes
    const tmpSize = checkSize(this, 'tmpSize', props.tmpSize ?? Size.gibibytes(2));
    const res = renderResources(this, 'resources', props.resources, SERVER_DEFAULT_RESOURCES);
    const ephLimit = (props.resources?.ephemeralStorage ?? SERVER_DEFAULT_RESOURCES.ephemeralStorage).limit;
    if ((props.tmpSize ?? Size.gibibytes(2)).toKibibytes() > ephLimit.toKibibytes()) {
      invalid(this, 'tmpSize', tmpSize, `must not exceed the ephemeral-storage limit (${ephLimit.asString()})`);
    }
    this.addVolume({ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(tmpSize) } }, { name: 'tmp', mountPath: '/tmp' });
    for (const v of [...this.backend.volumes, ...this.artifacts.volumes, ...(props.volumes ?? [])]) this.addVolume(v);
    for (const m of [...this.backend.volumeMounts, ...this.artifacts.volumeMounts, ...(props.volumeMounts ?? [])]) this.mounts.push(m);
    const command = props.metrics ? enableServerMetrics(this) : ['mlflow'];
    if (props.metrics) this.metricsPath = METRICS_PATH;
    checkPodVolumes(this, this.volumes, this.mounts);

    const containerSecurity = restrictedContainerSecurityContext();
    this.initContainers.push(waitForTcpContainer({
      name: 'wait-for-database',
      image: this.image.image,
      imagePullPolicy: this.image.pullPolicy,
      what: 'database',
      uriEnv: this.backend.uriEnvName,
      env: this.backend.env,
      attempts: waitAttempts,
      securityContext: containerSecurity,
      resources: renderResources(this, 'initResources', undefined, resources(['50m', '200m'], ['128Mi', '256Mi'], ['64Mi', '256Mi'])),
    }));

    // Probes: /health does not touch the database; under a prefix it is not exempt from the host check.
    const healthPath = `${staticPrefix ?? ''}/health`;
    const httpHeaders = staticPrefix ? [{ name: 'Host', value: svcHost }] : undefined;
    const health = { path: healthPath, port: k8s.IntOrString.fromString(PORT_NAME), ...(httpHeaders ? { httpHeaders } : {}) };
    const startupTimeout = checkDuration(this, 'startupTimeout', props.startupTimeout ?? Duration.minutes(5));
    checkInt(this, 'startupTimeout (seconds)', startupTimeout, 10, 3600);

    const spreadable = replicas >= 2;
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: this.name, labels },
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.podSelectorLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels: { ...podLabels, ...labels },
            ...(Object.keys(podAnnotations).length ? { annotations: podAnnotations } : {}),
          },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(this, 'podIdentity', props.podIdentity),
            terminationGracePeriodSeconds: 60,
            ...(props.imagePullSecrets?.length ? { imagePullSecrets: props.imagePullSecrets.map(name => ({ name })) } : {}),
            ...(nodeSelector ? { nodeSelector } : {}),
            ...(props.tolerations ? { tolerations: props.tolerations } : {}),
            ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
            ...(spreadable ? {
              affinity: {
                podAntiAffinity: {
                  preferredDuringSchedulingIgnoredDuringExecution: [{
                    weight: 100,
                    podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: this.podSelectorLabels } },
                  }],
                },
              },
              topologySpreadConstraints: [
                { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: this.podSelectorLabels } },
                { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: this.podSelectorLabels } },
              ],
            } : {}),
            initContainers: this.initContainers,
            containers: [{
              name: 'mlflow',
              image: this.image.image,
              imagePullPolicy: this.image.pullPolicy,
              command,
              args: this.args,
              ports: [{ name: PORT_NAME, containerPort: this.port, protocol: 'TCP' }],
              env: this.env,
              ...(props.envFromSecrets?.length ? { envFrom: props.envFromSecrets.map(s => ({ secretRef: { name: s.secretName } })) } : {}),
              securityContext: containerSecurity,
              resources: res,
              startupProbe: { httpGet: health, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: Math.ceil(startupTimeout / 5) },
              readinessProbe: { httpGet: health, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
              livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString(PORT_NAME) }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
              volumeMounts: this.mounts,
            }],
            volumes: this.volumes,
          },
        },
      },
    });
    setSyncWave(this.deployment, SyncWave.SERVER);

    // Service
    const lb = exposure.loadBalancer;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: {
        name: this.name,
        labels,
        annotations: {
          ...(lb?.loadBalancerIp ? { 'metallb.universe.tf/loadBalancerIPs': lb.loadBalancerIp } : {}),
          ...(lb?.annotations ?? {}),
        },
      },
      spec: {
        type: exposure.type,
        selector: this.podSelectorLabels,
        ports: [{
          name: PORT_NAME,
          port: this.port,
          targetPort: k8s.IntOrString.fromString(PORT_NAME),
          protocol: 'TCP',
          ...(exposure.nodePort ? { nodePort: exposure.nodePort } : {}),
        }],
        ...(lb?.loadBalancerIp ? { loadBalancerIp: lb.loadBalancerIp } : {}),
        ...(lb?.sourceRanges?.length ? { loadBalancerSourceRanges: lb.sourceRanges } : {}),
        ...(exposure.type !== 'ClusterIP' ? { externalTrafficPolicy: 'Local' } : {}),
      },
    });
    setSyncWave(this.service, SyncWave.SERVER);

    if (spreadable) {
      this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: { name: this.name, labels },
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: this.podSelectorLabels },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
      setSyncWave(this.podDisruptionBudget, SyncWave.SERVER);
    }

    const authDatabase = props.auth ? configureBasicAuth(this, props.auth) : undefined;

    if (props.migrate ?? true) {
      this.migration = new MigrationJob(this, 'Migration', {
        name: this.name,
        instance: this.instance,
        image: this.image,
        backend: this.backend,
        authDatabase,
        podIdentity: props.podIdentity,
        imagePullSecrets: props.imagePullSecrets ?? [],
        waitAttempts,
      });
    }
  }

  /**
   * Lets a client workload (a training Job, a nightly CronJob, a Deployment) reach the server:
   * opens the NetworkPolicy to its pods and wires MLFLOW_TRACKING_URI into its containers.
   * @param workload a cdk8s-plus Job, CronJob or Deployment, or a k8s.KubeJob, KubeCronJob or KubeDeployment
   */
  public allowClient(workload: Construct, options?: AllowClientOptions): void {
    allowClient(this, workload, options);
  }

  /**
   * Lets the server read the named Secrets/ConfigMaps through the API (Role with `get` on those
   * resourceNames only; the pod then mounts its token).
   */
  public grantApiRead(options: ServerApiReadOptions): k8s.KubeRole {
    return grantServerApiRead(this, options);
  }

  /** The client connection ConfigMap `<name>-client` (MLFLOW_TRACKING_URI; no credentials), rendered once. */
  public clientConfigMap(): k8s.KubeConfigMap {
    return clientConfigMap(this);
  }

  /** Grants a client's ServiceAccount `get` on the client connection ConfigMap; returns its name. */
  public grantClientConfigRead(serviceAccountName: string, namespace?: string): string {
    return grantClientConfigRead(this, serviceAccountName, namespace);
  }

  /** Adds an environment variable to the server container; names must be unique. */
  public addEnv(env: k8s.EnvVar): void {
    checkEnvName(this, 'env', env.name);
    if (this.env.some(e => e.name === env.name)) invalid(this, 'env', env.name, 'environment variable names must be unique; this one is already set');
    this.env.push(env);
  }

  /** Appends arguments to `mlflow server`. */
  public addArgs(...args: string[]): void {
    this.args.push(...args);
  }

  /** Adds a pod volume, and optionally its mount in the server container. */
  public addVolume(volume: k8s.Volume, mount?: k8s.VolumeMount): void {
    if (this.volumes.some(v => v.name === volume.name)) invalid(this, 'volumes', volume.name, 'volume names must be unique; this one is already used');
    this.volumes.push(volume);
    if (mount) this.mounts.push(mount);
  }

  /** Adds a mount to the server container. */
  public addVolumeMount(mount: k8s.VolumeMount): void {
    this.mounts.push(mount);
  }

  /** Adds an init container that runs before the server (after the database wait). */
  public addInitContainer(container: k8s.Container): void {
    this.initContainers.push(container);
  }

  /** Adds an annotation to the server's ServiceAccount. */
  public addServiceAccountAnnotation(key: string, value: string): void {
    this.serviceAccount.metadata.addAnnotation(key, value);
  }
}

const PREFIX = /^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

function checkStaticPrefix(scope: Construct, prefix: string | undefined): string | undefined {
  if (prefix === undefined) return undefined;
  if (!PREFIX.test(prefix)) invalid(scope, 'staticPrefix', prefix, "must start with '/', not end with '/', and hold only URL path characters, e.g. '/mlflow'");
  return prefix;
}
