import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { ArtifactStore } from '../../src/artifacts/artifact-store';
import { BackendStore } from '../../src/backend/backend-store';
import { MlflowChartProps } from '../../src/chart/mlflow-chart';
import { ImagePullPolicy } from '../../src/common/image';
import { SecretKey, SecretSource } from '../../src/secrets/secret-source';
import { MlflowImage } from '../../src/server/mlflow-image';
import { ServiceExposure } from '../../src/server/service-exposure';


// fast-check arbitraries over the public props of MlflowChart: valid configurations, and single-prop
// corruptions of them that synthesis must refuse with an MlflowConfigError naming the prop.

/** Values that YAML 1.1 and 1.2 read differently, or read as non-strings, when unquoted. */

/** An IPv4 CIDR without host bits (what Kubernetes and our validators accept), never the whole space. */
const alignedCidr = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 32 })).map(([a, n]) => {
  const base = a - (a % 2 ** (32 - n));
  return `${[24, 16, 8, 0].map(sh => Math.floor(base / 2 ** sh) % 256).join('.')}/${n}`;
});

export const YAML_TRICKY = ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'NO', 'True', 'null', '~', '0o12', '012', '0x1F', '1e3', '1_000', '1:20', '10:30:00', '.inf', '.NaN', '2024-01-01', '+12', '-0', '=', '<<', '', ' padded ', '#comment', '- item', 'a: b', '"quoted"', "'single'", '{x}', '[x]', '&anchor', '*alias', '!tag', '%percent', '@at', '`tick`', '|', '>', 'multi\nline', 'tab\there', 'ünïcødé', '\u2028'];


export const dnsLabel = (max = 63): fc.Arbitrary<string> =>
  fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/).filter(s => s.length <= max);
export const dnsSubdomain = (): fc.Arbitrary<string> =>
  fc.array(dnsLabel(20), { minLength: 1, maxLength: 3 }).map(a => a.join('.'));
const hostname = (): fc.Arbitrary<string> =>
  fc.tuple(fc.array(dnsLabel(15), { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'org', 'internal', 'example.com')).map(([a, tld]) => [...a, tld].join('.'));
const labelValue = (): fc.Arbitrary<string> =>
  fc.oneof(fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,30}[A-Za-z0-9])?$/), fc.constantFrom('yes', 'no', 'on', 'off', 'true', 'null', '1.10', '0o12', '012', '1e3', 'y', 'N', ''));
const labelKey = (): fc.Arbitrary<string> =>
  fc.tuple(fc.option(fc.constantFrom('example.com/', 'team.example.org/', 'a/'), { nil: undefined }), fc.stringMatching(/^[a-z]([-a-z0-9_.]{0,15}[a-z0-9])?$/)).map(([p, n]) => `${p ?? ''}${n}`);
const annotationValue = (): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...YAML_TRICKY), fc.string({ maxLength: 40 }));
const envName = (): fc.Arbitrary<string> =>
  fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/).map(s => `APP_${s}`).filter(s => !/(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL)/i.test(s));
const version = (): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 12 }))
    .filter(([a, b]) => a > 3 || b >= 9).map(v => v.join('.'));

const cpuRange = fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 0, max: 4000 }), fc.boolean())
  .map(([req, extra, units]) => ({
    request: Cpu.millis(req),
    limit: units && (req + extra) % 1000 === 0 ? Cpu.units((req + extra) / 1000) : Cpu.millis(req + extra),
  }));
const sizeRange = (minMi: number, maxMi: number) => fc.tuple(fc.integer({ min: minMi, max: maxMi }), fc.integer({ min: 0, max: maxMi }), fc.boolean())
  .map(([req, extra, gi]) => ({ request: Size.mebibytes(req), limit: gi ? Size.gibibytes(Math.ceil((req + extra) / 1024)) : Size.mebibytes(req + extra) }));

const exposure = (): fc.Arbitrary<ServiceExposure> => fc.oneof(
  fc.constant(ServiceExposure.clusterIp()),
  fc.integer({ min: 30000, max: 32767 }).map(p => ServiceExposure.nodePort(p)),
  fc.record({
    loadBalancerIp: fc.ipV4(),
    nodePort: fc.integer({ min: 30000, max: 32767 }),
    sourceRanges: fc.array(alignedCidr, { maxLength: 3 }),
    annotations: fc.dictionary(labelKey(), annotationValue(), { maxKeys: 3 }),
  }, { requiredKeys: [] }).map(o => ServiceExposure.loadBalancer(o)),
);

const ingress = () => fc.tuple(
  fc.uniqueArray(hostname(), { minLength: 1, maxLength: 3 }),
  fc.record({
    className: dnsSubdomain(),
    maxBodySize: fc.integer({ min: 1, max: 100 }).map(n => Size.gibibytes(n)),
    timeout: fc.integer({ min: 1, max: 86400 }).map(s => Duration.seconds(s)),
    annotations: fc.dictionary(labelKey(), annotationValue(), { maxKeys: 3 }),
  }, { requiredKeys: [] }),
  fc.oneof(
    fc.constant({}),
    fc.constant({ disableTls: true }),
    dnsSubdomain().map(s => ({ tlsSecretName: s })),
    dnsSubdomain().map(s => ({ clusterIssuer: s })),
  ),
).map(([hosts, rest, tls]) => ({ hosts, ...rest, ...tls }));

const image = (): fc.Arbitrary<MlflowImage> => fc.oneof(
  fc.constant(MlflowImage.official()),
  version().map(v => MlflowImage.official(v)),
  fc.tuple(version(), fc.constantFrom(...Object.values(ImagePullPolicy)), fc.boolean()).map(([v, pull, digest]) => MlflowImage.custom(
    digest ? `registry.example.com/ml/mlflow@sha256:${'ab'.repeat(32)}` : `registry.example.com:5000/ml/mlflow:v${v}-pg`,
    { mlflowVersion: v, pullPolicy: pull },
  )),
);

/** A valid MlflowChart configuration. */
export const validProps: fc.Arbitrary<MlflowChartProps> = fc.record({
  namespace: dnsLabel(),
  createNamespace: fc.boolean(),
  namespaceLabels: fc.dictionary(labelKey(), labelValue(), { maxKeys: 2 }),
  name: dnsLabel(40),
  instance: dnsLabel(),
  image: image(),
  replicas: fc.integer({ min: 0, max: 100 }),
  workers: fc.integer({ min: 1, max: 64 }),
  port: fc.integer({ min: 1, max: 65535 }),
  staticPrefix: fc.array(fc.stringMatching(/^[A-Za-z0-9._~-]{1,10}$/), { minLength: 1, maxLength: 3 }).map(a => `/${a.join('/')}`),
  resources: fc.record({ cpu: cpuRange, memory: sizeRange(64, 8192), ephemeralStorage: sizeRange(2048, 10240) }, { requiredKeys: ['ephemeralStorage'] }),
  env: fc.dictionary(envName(), annotationValue(), { maxKeys: 4 }),
  secretEnv: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/).map(s => `SEC_${s}`), fc.tuple(dnsSubdomain(), fc.stringMatching(/^[-._a-zA-Z0-9]{1,12}$/)).map(([n, k]) => SecretKey.fromExisting(n, k)), { maxKeys: 3 }),
  envFromSecrets: fc.array(dnsSubdomain().map(n => SecretSource.existing(n)), { maxLength: 2 }),
  extraArgs: fc.subarray(['--gunicorn-opts=--timeout 120', '--dev', '--app-name', 'basic-auth', '--uvicorn-opts=--log-level warning']),
  nodeSelector: fc.dictionary(labelKey(), labelValue(), { maxKeys: 2 }),
  priorityClassName: dnsSubdomain(),
  service: exposure(),
  ingress: ingress(),
  allowedHosts: fc.array(fc.oneof(hostname(), hostname().map(h => `*.${h}`)), { maxLength: 3 }),
  allowPrivateNetworkHosts: fc.boolean(),
  corsOrigins: fc.array(hostname().map(h => `https://${h}`), { maxLength: 2 }),
  clusterDomain: dnsSubdomain(),
  enableJobExecution: fc.boolean(),
  podIdentity: fc.record({ runAsUser: fc.integer({ min: 10000, max: 2147483647 }), runAsGroup: fc.integer({ min: 10000, max: 2147483647 }), fsGroup: fc.integer({ min: 10000, max: 2147483647 }) }, { requiredKeys: [] }),
  imagePullSecrets: fc.uniqueArray(dnsSubdomain(), { maxLength: 2 }),
  serviceAccountAnnotations: fc.dictionary(labelKey(), annotationValue(), { maxKeys: 2 }),
  podAnnotations: fc.dictionary(labelKey(), annotationValue(), { maxKeys: 3 }),
  podLabels: fc.dictionary(labelKey(), labelValue(), { maxKeys: 3 }),
  migrate: fc.boolean(),
  startupTimeout: fc.integer({ min: 10, max: 3600 }).map(s => Duration.seconds(s)),
  waitAttempts: fc.integer({ min: 1, max: 10000 }),
  tmpFraction: fc.integer({ min: 1, max: 100 }),
  extraVolumes: fc.uniqueArray(fc.tuple(dnsLabel(20).map(n => `v-${n}`), fc.boolean(), fc.boolean()), { maxLength: 3, selector: (t: [string, boolean, boolean]) => t[0] }),
  bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/).filter(b => !b.startsWith('xn--') && !b.startsWith('sthree-') && !b.includes('--')),
  prefix: fc.stringMatching(/^[A-Za-z0-9!_.*'()-]{1,10}(\/[A-Za-z0-9!_.*'()-]{1,10}){0,2}$/),
  region: fc.constantFrom('eu-west-1', 'us-east-2', 'ap-southeast-1', 'us-gov-west-1'),
  cidrs: fc.array(alignedCidr, { maxLength: 2 }),
}, { requiredKeys: ['namespace', 'bucket', 'tmpFraction'] }).map(r => {
  const { tmpFraction, bucket, prefix, region, cidrs, extraVolumes, ...props } = r as any;
  const vols = (extraVolumes ?? []) as [string, boolean, boolean][];
  const ephLimitKi = props.resources ? props.resources.ephemeralStorage.limit.toKibibytes() : 4 * 1024 * 1024;
  return {
    ...props,
    ...(vols.length ? {
      volumes: vols.map(([name, secret]) => (secret ? { name, secret: { secretName: `${name}-secret` } } : { name, emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } })),
      volumeMounts: vols.map(([name, secret, ro]) => ({ name, mountPath: `/data/${name}`, readOnly: secret || ro })),
    } : {}),
    tmpSize: Size.mebibytes(Math.max(1, Math.floor((ephLimitKi / 1024) * tmpFraction / 100))),
    backendStore: BackendStore.external({ uri: SecretKey.fromExisting('mlflow-db', 'uri'), ...(cidrs?.length ? { cidrs } : {}) }),
    artifactStore: ArtifactStore.s3({ bucket, ...(prefix ? { prefix } : {}), ...(region ? { region } : {}) }),
  } as MlflowChartProps;
});

/** One invalid change to a valid configuration, and the prop the error must name. */
export interface Corruption {
  readonly prop: string;
  readonly change: Partial<MlflowChartProps> | ((p: MlflowChartProps) => Partial<MlflowChartProps>);
}

const any = (v: unknown) => v as any;
export const CORRUPTIONS: Corruption[] = [
  ...[-1, 1.5, 101, Number.NaN, any('2')].map(v => ({ prop: 'replicas', change: { replicas: v } })),
  ...[0, 65, 2.5].map(v => ({ prop: 'workers', change: { workers: v } })),
  ...[0, 65536, -80, 80.5, any('5000')].map(v => ({ prop: 'port', change: { port: v } })),
  ...['mlflow', '/mlflow/', '/ml flow', '', '//', '/a//b', '/%2e'].map(v => ({ prop: 'staticPrefix', change: { staticPrefix: v } })),
  ...['MLflow', 'a'.repeat(41), '-x', '', 'a.b'].map(v => ({ prop: 'name', change: { name: v } })),
  ...['Bad_NS', '', 'a'.repeat(64), any(undefined)].map(v => ({ prop: 'namespace', change: { namespace: v } })),
  { prop: 'instance', change: { instance: 'Bad!' } },
  { prop: 'resources.cpu', change: { resources: { cpu: { request: Cpu.units(2), limit: Cpu.millis(500) } } } },
  { prop: 'resources.cpu.request', change: { resources: { cpu: { request: Cpu.millis(0), limit: Cpu.units(1) } } } },
  { prop: 'resources.cpu.request', change: { resources: { cpu: any({ request: '1', limit: '2' }) } } },
  { prop: 'resources.memory', change: { resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(1) } } } },
  { prop: 'resources.memory.limit', change: { resources: { memory: any({ request: Size.gibibytes(1), limit: '2Gi' }) } } },
  { prop: 'resources.ephemeralStorage', change: { resources: { ephemeralStorage: { request: Size.gibibytes(8), limit: Size.gibibytes(4) } } } },
  { prop: 'tmpSize', change: { tmpSize: Size.gibibytes(100) } },
  { prop: 'tmpSize', change: { tmpSize: any('2Gi') } },
  { prop: 'service', change: { service: any('NodePort') } },
  { prop: 'service.nodePort', change: { service: ServiceExposure.nodePort(80) } },
  { prop: 'service.loadBalancerIp', change: { service: ServiceExposure.loadBalancer({ loadBalancerIp: '300.1.1.1' }) } },
  { prop: 'service.sourceRanges', change: { service: ServiceExposure.loadBalancer({ sourceRanges: ['10.0.0.0'] }) } },
  { prop: 'service.annotations', change: { service: ServiceExposure.loadBalancer({ annotations: { 'bad key!': 'x' } }) } },
  { prop: 'ingress.hosts', change: { ingress: { hosts: [] } } },
  { prop: 'ingress.hosts', change: { ingress: { hosts: ['Bad_Host'] } } },
  { prop: 'ingress.hosts', change: { ingress: { hosts: ['a.example.com', 'a.example.com'] } } },
  { prop: 'ingress.hosts', change: { ingress: { hosts: ['https://a.example.com/'] } } },
  { prop: 'ingress.hosts', change: { ingress: any({ hosts: 'a.example.com' }) } },
  { prop: 'ingress.className', change: { ingress: { hosts: ['a.example.com'], className: 'Bad Class' } } },
  { prop: 'ingress.disableTls', change: { ingress: { hosts: ['a.example.com'], disableTls: true, clusterIssuer: 'x' } } },
  { prop: 'ingress.timeout', change: { ingress: { hosts: ['a.example.com'], timeout: Duration.days(2) } } },
  { prop: 'ingress.timeout', change: { ingress: { hosts: ['a.example.com'], timeout: any(600) } } },
  { prop: 'ingress.maxBodySize', change: { ingress: { hosts: ['a.example.com'], maxBodySize: any('5g') } } },
  { prop: 'ingress.annotations', change: { ingress: { hosts: ['a.example.com'], annotations: { 'x/y': any(5) } } } },
  { prop: 'env', change: { env: { '1BAD': 'x' } } },
  { prop: 'env.DB_PASSWORD', change: { env: { DB_PASSWORD: 'x' } } },
  { prop: 'env', change: { env: { HOME: '/home' } } },
  { prop: 'env.APP_COUNT', change: { env: { APP_COUNT: any(5) } } },
  { prop: 'env.DATABASE_URL', change: { env: { DATABASE_URL: 'postgresql://u:p@db/mlflow' } } },
  { prop: 'image.mlflowVersion', change: { image: MlflowImage.official('3.8.0') } },
  { prop: 'image.mlflowVersion', change: { image: MlflowImage.official('latest') } },
  { prop: 'image.image', change: { image: MlflowImage.custom('registry.example.com/mlflow:latest', { mlflowVersion: '3.1.0' }) } },
  { prop: 'image.image', change: { image: MlflowImage.custom('registry.example.com/mlflow', { mlflowVersion: '3.1.0' }) } },
  { prop: 'image.mlflowVersion', change: { image: MlflowImage.custom('registry.example.com/mlflow:v1', { mlflowVersion: 'three' }) } },
  { prop: 'image', change: { image: any('ghcr.io/mlflow/mlflow:v3.17.0') } },
  { prop: 'podLabels', change: { podLabels: { k: 'bad value!' } } },
  { prop: 'podAnnotations', change: { podAnnotations: { 'Bad Key': 'v' } } },
  { prop: 'nodeSelector', change: { nodeSelector: { k: 'x'.repeat(64) } } },
  { prop: 'imagePullSecrets', change: { imagePullSecrets: ['Bad_Secret'] } },
  { prop: 'podIdentity.runAsUser', change: { podIdentity: { runAsUser: 0 } } },
  { prop: 'podIdentity.fsGroup', change: { podIdentity: { fsGroup: 999 } } },
  { prop: 'allowedHosts', change: { allowedHosts: ['http://x.example.com'] } },
  { prop: 'clusterDomain', change: { clusterDomain: 'Bad_Domain' } },
  { prop: 'startupTimeout', change: { startupTimeout: Duration.seconds(5) } },
  { prop: 'startupTimeout', change: { startupTimeout: Duration.hours(2) } },
  { prop: 'startupTimeout', change: { startupTimeout: any(300) } },
  { prop: 'waitAttempts', change: { waitAttempts: 0 } },
  { prop: 'secretEnv.X.secretName', change: { secretEnv: { X: SecretKey.fromExisting('Bad_Name', 'k') } } },
  { prop: 'secretEnv.X.key', change: { secretEnv: { X: SecretKey.fromExisting('ok', 'bad key') } } },
  { prop: 'envFromSecrets', change: { envFromSecrets: [SecretSource.existing('Bad_Name')] } },
  { prop: 'backendStore.uri', change: { backendStore: BackendStore.external({ uri: any('postgresql://db/mlflow') }) } },
  { prop: 'artifactStore.bucket', change: { artifactStore: ArtifactStore.s3({ bucket: 'Bad_Bucket' }) } },
  { prop: 'artifactStore.region', change: { artifactStore: ArtifactStore.s3({ bucket: 'ok-bucket', region: 'mars' }) } },
  { prop: 'artifactStore.prefix', change: { artifactStore: ArtifactStore.s3({ bucket: 'ok-bucket', prefix: '//' }) } },
  { prop: 'priorityClassName', change: { priorityClassName: 'Bad_PC' } },
  { prop: 'namespaceLabels', change: { namespaceLabels: { k: 'bad value!' } } },
  { prop: 'volumes[host]', change: { volumes: [{ name: 'host', hostPath: { path: '/var/run' } }], volumeMounts: [{ name: 'host', mountPath: '/host' }] } },
  { prop: 'volumes', change: { volumes: [{ name: 'Bad_Volume', emptyDir: {} }] } },
  { prop: 'volumes', change: { volumes: [{ name: 'tmp', emptyDir: {} }] } },
  { prop: 'volumeMounts', change: { volumes: [], volumeMounts: [{ name: 'missing', mountPath: '/data' }] } },
  { prop: 'volumeMounts', change: { volumes: [{ name: 'data', emptyDir: {} }], volumeMounts: [{ name: 'data', mountPath: '/tmp' }] } },
  { prop: 'volumeMounts', change: { volumes: [{ name: 'data', emptyDir: {} }], volumeMounts: [{ name: 'data', mountPath: 'data' }] } },
  { prop: 'serviceAccountAnnotations key', change: { serviceAccountAnnotations: { 'argocd.argoproj.io/tracking-id': 'app:/ServiceAccount:ns/x' } } },
  { prop: 'service.annotations key', change: { service: ServiceExposure.loadBalancer({ annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }) } },
  { prop: 'ingress.annotations key', change: { ingress: { hosts: ['a.example.com'], annotations: { 'argocd.argoproj.io/sync-wave': '-1' } } } },
  { prop: 'podAnnotations key', change: { podAnnotations: { 'argocd.argoproj.io/sync-wave': '1' } } },
  { prop: 'corsOrigins', change: { corsOrigins: ['https://a.example.com,https://b.example.com'] } },
  { prop: 'extraArgs', change: { extraArgs: ['--db-password=abc'] } },
  { prop: 'corsOrigins', change: { corsOrigins: ['https://u:p@x.example.com'] } },
];

/** A valid configuration with one corruption applied. */
export const invalidProps: fc.Arbitrary<{ props: MlflowChartProps; prop: string }> =
  fc.tuple(validProps, fc.constantFrom(...CORRUPTIONS)).map(([props, c]) => ({
    props: { ...props, ...(typeof c.change === 'function' ? c.change(props) : c.change) } as MlflowChartProps,
    prop: c.prop,
  }));


