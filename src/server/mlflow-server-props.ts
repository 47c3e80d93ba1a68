import { Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ArtifactServing } from '../artifacts/artifact-serving';
import { IArtifactStore } from '../artifacts/artifact-store';
import { MlflowAuthOptions } from '../auth/auth-options';
import { IBackendStore } from '../backend/backend-store';
import { PodIdentity } from '../common/pod-security';
import { ContainerResources } from '../common/resources';
import { SecretKey, SecretSource } from '../secrets/secret-source';
import { MlflowIngressOptions } from './ingress-options';
import { MlflowImage } from './mlflow-image';
import { ServiceExposure } from './service-exposure';

/** Props of {@link MlflowServer}. */
export interface MlflowServerProps {
  /** Where tracking metadata lives (PostgreSQL). */
  readonly backendStore: IBackendStore;
  /** Where artifacts live (S3 or S3-compatible). */
  readonly artifactStore: IArtifactStore;
  /**
   * Whether the server proxies artifacts (clients need no storage credentials) or clients read
   * and write the store directly (every client needs network access and credentials: see
   * `MlflowServer.clientArtifactEnv`).
   * @default ArtifactServing.PROXIED
   */
  readonly artifactServing?: ArtifactServing;
  /**
   * Base name of every object (Deployment, Service, ServiceAccount, ...): a DNS-1123 label of at most 40 characters.
   * @default 'mlflow'
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   * @default the enclosing Chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /**
   * `app.kubernetes.io/instance` label.
   * @default the name
   */
  readonly instance?: string;
  /**
   * Image of the server, its migration Job and its init containers.
   * @default MlflowImage.official() — ghcr.io/mlflow/mlflow:v3.17.0-full
   */
  readonly image?: MlflowImage;
  /**
   * Pod replicas. With 2 or more a PodDisruptionBudget, pod anti-affinity and topology spread are added.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Server worker processes per pod (`--workers`). Each is a full process with its own database pool.
   * @default 2
   */
  readonly workers?: number;
  /**
   * Container and Service port.
   * @default 5000
   */
  readonly port?: number;
  /**
   * URL prefix of the UI and of /health (`--static-prefix`), e.g. `/mlflow`.
   * @default no prefix
   */
  readonly staticPrefix?: string;
  /**
   * Requests and limits.
   * @default cpu 250m/1, memory 1Gi/2Gi, ephemeral-storage 1Gi/4Gi
   */
  readonly resources?: ContainerResources;
  /**
   * Size limit of the /tmp emptyDir (proxied artifact uploads and downloads stream through it).
   * Keep it below the ephemeral-storage limit.
   * @default Size.gibibytes(2)
   */
  readonly tmpSize?: Size;
  /**
   * Extra plain environment variables. Names that look like credentials (password, secret,
   * token, key) are refused: use `secretEnv`.
   * @default none
   */
  readonly env?: Record<string, string>;
  /**
   * Extra environment variables read from Secret keys.
   * @default none
   */
  readonly secretEnv?: Record<string, SecretKey>;
  /**
   * Secrets whose every key becomes an environment variable (`envFrom`).
   * @default none
   */
  readonly envFromSecrets?: SecretSource[];
  /**
   * Extra arguments appended to `mlflow server`.
   * @default none
   */
  readonly extraArgs?: string[];
  /**
   * Extra volumes of the pod.
   * @default none
   */
  readonly volumes?: k8s.Volume[];
  /**
   * Extra mounts of the server container.
   * @default none
   */
  readonly volumeMounts?: k8s.VolumeMount[];
  /**
   * Node selector.
   * @default none
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Tolerations.
   * @default none
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * PriorityClass of the pods (it must exist in the cluster).
   * @default none (the cluster default)
   */
  readonly priorityClassName?: string;
  /**
   * How the Service is exposed.
   * @default ServiceExposure.clusterIp()
   */
  readonly service?: ServiceExposure;
  /**
   * An Ingress in front of the Service.
   * @default no Ingress
   */
  readonly ingress?: MlflowIngressOptions;
  /**
   * Extra entries of MLFLOW_SERVER_ALLOWED_HOSTS (e.g. node addresses for a NodePort). Each name is
   * also allowed with any port.
   * @default only the Service names, the Ingress hosts, the load balancer IP and private ranges
   */
  readonly allowedHosts?: string[];
  /**
   * Allow Host headers from private address ranges (10/8, 172.16/12, 192.168/16, localhost), as
   * MLflow's own default does. Prometheus scrapes and probes address the pod by IP, so turning
   * this off breaks metrics scraping.
   * @default true
   */
  readonly allowPrivateNetworkHosts?: boolean;
  /**
   * Extra CORS origins (MLFLOW_SERVER_CORS_ALLOWED_ORIGINS), e.g. `https://notebooks.example.com`.
   * @default the Ingress hosts' origins only
   */
  readonly corsOrigins?: string[];
  /**
   * The cluster's DNS domain, for the Service's fully qualified name.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Run MLflow's background job execution in every replica (MLFLOW_SERVER_ENABLE_JOB_EXECUTION).
   * @default false
   */
  readonly enableJobExecution?: boolean;
  /**
   * UID/GID/fsGroup of the pods (all ≥ 10000).
   * @default 10001 for all three
   */
  readonly podIdentity?: PodIdentity;
  /**
   * Secrets for pulling images from a private registry (e.g. Harbor).
   * @default none
   */
  readonly imagePullSecrets?: string[];
  /**
   * Annotations of the server's ServiceAccount (e.g. workload identity).
   * @default none (the artifact store may add its own, e.g. the IRSA role)
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /**
   * Extra annotations of the pod template.
   * @default none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Extra labels of the pod template (e.g. for a mesh or a policy engine).
   * @default none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Render the schema migration Job (an Argo CD Sync hook before the server).
   * @default true
   */
  readonly migrate?: boolean;
  /**
   * How long the server may take to start before the kubelet restarts it (startupProbe).
   * @default Duration.minutes(5)
   */
  readonly startupTimeout?: Duration;
  /**
   * Expose Prometheus metrics at `/metrics` on the `http` port (`--expose-prometheus` with a
   * multiprocess directory on its own emptyDir, emptied at every container start). Needs
   * `prometheus-flask-exporter` in the image (the official `-full` image has it). Off by default:
   * a custom image may lack the package (the server would not start), and without MLflow auth
   * `/metrics` is open to whoever reaches the Service or a host-wide Ingress.
   * `MlflowChart` turns it on when `monitoring` asks for a ServiceMonitor, alerts or a dashboard.
   * @default false
   */
  readonly metrics?: boolean;
  /**
   * Attempts (2 s apart) of the init containers that wait for the database.
   * @default 90 (3 minutes)
   */
  readonly waitAttempts?: number;
  /**
   * MLflow basic-auth (`--app-name basic-auth`): admin and Flask secret from Secrets, auth database
   * separate from tracking, INI rendered at start-up into a memory emptyDir.
   * @default no authentication
   */
  readonly auth?: MlflowAuthOptions;
}
