import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PVC_PROTECTION_ANNOTATIONS, setSyncWave, SyncWave } from '../common/argocd';
import { selectorLabels, standardLabels } from '../common/labels';
import { PodIdentity, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/pod-security';
import { ContainerResources, renderResources, resources } from '../common/resources';
import { checkDnsSubdomain, checkSize } from '../common/validate';
import { NetworkModel, WorkloadTraffic } from '../network/network-model';
import { SecretKey } from '../secrets/secret-source';
import { workloadServiceAccount } from '../common/workload-identity';

/** The pinned MinIO server image. */
export const DEFAULT_MINIO_IMAGE = 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z';

/** Default requests and limits of the MinIO container. */
const MINIO_DEFAULT_RESOURCES = resources(['250m', '2'], ['1Gi', '2Gi'], ['256Mi', '1Gi']);

/** The S3 API port. */
export const MINIO_API_PORT = 9000;
/** The name of the S3 API port (Service and container). */
const MINIO_API_PORT_NAME = 'api';
/** The web console port. */
const MINIO_CONSOLE_PORT = 9001;
/** The name of the web console port (Service and container). */
const MINIO_CONSOLE_PORT_NAME = 'console';
/** The component label of the MinIO pods. */
const MINIO_COMPONENT = 'artifact-store';

/** How Prometheus authenticates to MinIO's metrics endpoint (MINIO_PROMETHEUS_AUTH_TYPE). */
export enum MinioPrometheusAuth {
  /**
   * No token: anyone who can reach port 9000 may scrape (the NetworkPolicy decides who can).
   * A ServiceMonitor then needs no Secret.
   */
  PUBLIC = 'public',
  /** A bearer JWT generated with `mc admin prometheus generate` is required. */
  JWT = 'jwt',
}

/** Options of the {@link Minio} construct (normally built by `ArtifactStore.minio(...)`). */
export interface MinioOptions {
  /** Base name of the stack: objects are named `<name>-minio`. */
  readonly name: string;
  /** Namespace (for the endpoint URL). */
  readonly namespace: string;
  /** app.kubernetes.io/instance. */
  readonly instance: string;
  /** The cluster's DNS domain (for the endpoint URL). */
  readonly clusterDomain: string;
  /** Secret key holding the root user. */
  readonly rootUser: SecretKey;
  /** Secret key holding the root password. */
  readonly rootPassword: SecretKey;
  /** Pinned MinIO image. */
  readonly image: string;
  /** Pull policy. */
  readonly imagePullPolicy: string;
  /**
   * Size of the data volume.
   * @default Size.gibibytes(50)
   */
  readonly storageSize?: Size;
  /**
   * StorageClass of the data volume.
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Requests and limits.
   * @default cpu 250m/2, memory 1Gi/2Gi, ephemeral-storage 256Mi/1Gi
   */
  readonly resources?: ContainerResources;
  /**
   * UID/GID/fsGroup (all ≥ 10000).
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
  /** MINIO_PROMETHEUS_AUTH_TYPE. */
  readonly prometheusAuth: MinioPrometheusAuth;
}

/**
 * A single-node MinIO: StatefulSet with one PVC, a headless Service for it, a Service with the
 * `api` (9000) and `console` (9001) ports, and a dedicated ServiceAccount. Runs non-root with a
 * read-only root filesystem; MinIO's only writes outside /data go to $HOME/.minio (certs dir)
 * and /tmp, both on an emptyDir.
 */
export class Minio extends Construct {
  /** Name of the StatefulSet, the Service and the ServiceAccount. */
  public readonly name: string;
  /** Name of the Service (api and console ports): the ServiceMonitor target. */
  public readonly serviceName: string;
  /** Name of the headless Service of the StatefulSet. */
  public readonly headlessServiceName: string;
  /** Name of the Service port of the S3 API, which also serves metrics. */
  public readonly apiPortName = MINIO_API_PORT_NAME;
  /** Name of the Service port of the web console. */
  public readonly consolePortName = MINIO_CONSOLE_PORT_NAME;
  /** The S3 API port. */
  public readonly apiPort = MINIO_API_PORT;
  /** Path of the cluster metrics (Prometheus format) on the `api` port. */
  public readonly metricsPath = '/minio/v2/metrics/cluster';
  /** MINIO_PROMETHEUS_AUTH_TYPE. */
  public readonly prometheusAuth: MinioPrometheusAuth;
  /** The in-cluster S3 endpoint URL. */
  public readonly endpoint: string;
  /** Labels that select the MinIO pods (and the Service's labels select the Service). */
  public readonly podSelectorLabels: Record<string, string>;
  /** Labels of the Services (for a ServiceMonitor's selector). */
  public readonly serviceLabels: Record<string, string>;
  /** The StatefulSet. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The Service with the api and console ports. */
  public readonly service: k8s.KubeService;
  /** The headless Service. */
  public readonly headlessService: k8s.KubeService;
  /** The ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The MinIO pods' declared traffic (rules may be added, e.g. for Prometheus or the console). */
  public readonly traffic: WorkloadTraffic;

  constructor(scope: Construct, id: string, o: MinioOptions) {
    super(scope, id);
    this.name = `${o.name}-minio`;
    this.serviceName = this.name;
    this.headlessServiceName = `${this.name}-headless`;
    this.prometheusAuth = o.prometheusAuth;
    this.endpoint = `http://${this.serviceName}.${o.namespace}.svc.${o.clusterDomain}:${MINIO_API_PORT}`;
    const version = /RELEASE\.([0-9TZ-]+)/.exec(o.image)?.[1];
    const meta = { name: 'minio', instance: o.instance, component: MINIO_COMPONENT, ...(version ? { version } : {}) };
    const labels = standardLabels(meta);
    this.podSelectorLabels = selectorLabels(meta);
    this.serviceLabels = labels;

    this.serviceAccount = workloadServiceAccount(this, this.name, labels);

    const ports = [
      { name: MINIO_API_PORT_NAME, port: MINIO_API_PORT, targetPort: k8s.IntOrString.fromString(MINIO_API_PORT_NAME), protocol: 'TCP' },
      { name: MINIO_CONSOLE_PORT_NAME, port: MINIO_CONSOLE_PORT, targetPort: k8s.IntOrString.fromString(MINIO_CONSOLE_PORT_NAME), protocol: 'TCP' },
    ];
    this.headlessService = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { name: this.headlessServiceName, labels },
      spec: { type: 'ClusterIP', clusterIp: 'None', publishNotReadyAddresses: true, selector: this.podSelectorLabels, ports },
    });
    setSyncWave(this.headlessService, SyncWave.DATA_STORES);
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, labels },
      spec: { type: 'ClusterIP', selector: this.podSelectorLabels, ports },
    });
    setSyncWave(this.service, SyncWave.DATA_STORES);

    const storage = checkSize(this, 'artifactStore.storageSize', o.storageSize ?? Size.gibibytes(50));
    if (o.storageClassName !== undefined) checkDnsSubdomain(this, 'artifactStore.storageClassName', o.storageClassName);
    const api = k8s.IntOrString.fromString(MINIO_API_PORT_NAME);
    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name: this.name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: 1,
        revisionHistoryLimit: 5,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: this.podSelectorLabels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(this, 'artifactStore.podIdentity', o.podIdentity),
            terminationGracePeriodSeconds: 60,
            containers: [{
              name: 'minio',
              image: o.image,
              imagePullPolicy: o.imagePullPolicy,
              command: ['minio'],
              args: [
                'server', '/data',
                '--address', `:${MINIO_API_PORT}`,
                '--console-address', `:${MINIO_CONSOLE_PORT}`,
                '--certs-dir', '/tmp/.minio/certs',
              ],
              ports: [
                { name: MINIO_API_PORT_NAME, containerPort: MINIO_API_PORT, protocol: 'TCP' },
                { name: MINIO_CONSOLE_PORT_NAME, containerPort: MINIO_CONSOLE_PORT, protocol: 'TCP' },
              ],
              env: [
                { name: 'HOME', value: '/tmp' },
                o.rootUser.toEnvVar('MINIO_ROOT_USER'),
                o.rootPassword.toEnvVar('MINIO_ROOT_PASSWORD'),
                { name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: o.prometheusAuth },
              ],
              securityContext: restrictedContainerSecurityContext(),
              resources: renderResources(this, 'artifactStore.resources', o.resources, MINIO_DEFAULT_RESOURCES),
              startupProbe: { httpGet: { path: '/minio/health/live', port: api }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 60 },
              readinessProbe: { httpGet: { path: '/minio/health/ready', port: api }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
              livenessProbe: { httpGet: { path: '/minio/health/live', port: api }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
              volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } }],
          },
        },
        volumeClaimTemplates: [{
          // volumeClaimTemplates are immutable: no version label, or an image upgrade could not be applied.
          metadata: { name: 'data', labels: standardLabels({ ...meta, version: undefined }), annotations: { ...PVC_PROTECTION_ANNOTATIONS } },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(o.storageClassName !== undefined ? { storageClassName: o.storageClassName } : {}),
            resources: { requests: { storage: k8s.Quantity.fromString(storage) } },
          },
        }],
      },
    });
    setSyncWave(this.statefulSet, SyncWave.DATA_STORES);

    this.traffic = NetworkModel.of(this).register({
      name: this.name,
      podLabels: this.podSelectorLabels,
      ingress: [],
      egress: [],
    });
  }
}
