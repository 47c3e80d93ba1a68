import { Testing } from 'cdk8s';
import { baseProps, envMap, one, serverContainer } from './helpers/synth';
import {
  ArtifactServing, ArtifactStore, CaBundle, MlflowChart, MlflowChartProps, NetworkModel, NetworkPeer, S3CompatibleArtifactStoreOptions, S3Credentials, SecretSource,
} from '../src';

const CREDS = S3Credentials.fromSecret(SecretSource.existing('minio-mlflow'), { accessKeyIdKey: 'accesskey', secretAccessKeyKey: 'secretkey' });

function build(options: Partial<S3CompatibleArtifactStoreOptions> = {}, overrides: Partial<MlflowChartProps> = {}) {
  const chart = new MlflowChart(Testing.app(), 'test', baseProps({
    artifactStore: ArtifactStore.s3Compatible({ endpoint: 'http://minio.minio.svc.cluster.local:9000', bucket: 'mlflow', credentials: CREDS, ...options }),
    ...overrides,
  }));
  return { chart, objects: Testing.synth(chart) };
}

describe('ArtifactStore.s3Compatible: MinIO in another namespace over plain HTTP', () => {
  const { chart, objects } = build();
  const c = serverContainer(objects);
  const env = envMap(c);

  test('endpoint, path-style addressing, keys from the Secret', () => {
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBe('http://minio.minio.svc.cluster.local:9000');
    expect(env.MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE).toBe('path');
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'minio-mlflow', key: 'accesskey' } });
    expect(env.AWS_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'minio-mlflow', key: 'secretkey' } });
    expect(env.AWS_CA_BUNDLE).toBeUndefined();
    expect(env.MLFLOW_S3_IGNORE_TLS).toBeUndefined();
    expect(c.args).toEqual(expect.arrayContaining(['--artifacts-destination', 's3://mlflow']));
  });

  test('no bucket Job unless asked', () => {
    expect(objects.filter(o => o.kind === 'Job' && o.metadata.name === 'mlflow-bucket')).toHaveLength(0);
  });

  test('egress to the pods of the endpoint namespace on the endpoint port', () => {
    expect(chart.server.artifacts.egress.map(r => ({ to: r.peer.toPeer(), ports: r.ports }))).toEqual([
      { to: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'minio' } } }, ports: [{ port: 9000 }] },
    ]);
  });
});

describe('ArtifactStore.s3Compatible: data-platform MinIO over TLS with a CA bundle, versioned bucket', () => {
  const { chart, objects } = build({
    endpoint: 'https://minio.data-platform.svc.cluster.local',
    bucket: 'mlflow-artifacts',
    prefix: 'prod',
    caBundle: CaBundle.fromConfigMap('data-platform-ca', 'ca-bundle.pem'),
    bucketJob: { versioning: true },
    egressPort: 9000,
  });
  const c = serverContainer(objects);
  const pod = one(objects, 'Deployment').spec.template.spec;
  const job = one(objects, 'Job', 'mlflow-bucket');
  const mc = job.spec.template.spec.containers[0];

  test('matches its snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('the server verifies TLS against the mounted CA (read-only)', () => {
    expect(envMap(c).AWS_CA_BUNDLE).toBe('/etc/mlflow/s3-ca/ca.crt');
    expect(envMap(c).MLFLOW_S3_IGNORE_TLS).toBeUndefined();
    expect(pod.volumes).toContainEqual({ name: 's3-ca-bundle', configMap: { name: 'data-platform-ca', items: [{ key: 'ca-bundle.pem', path: 'ca.crt' }], defaultMode: 292 } });
    expect(c.volumeMounts).toContainEqual({ name: 's3-ca-bundle', mountPath: '/etc/mlflow/s3-ca', readOnly: true });
    expect(envMap(c).MLFLOW_S3_ENDPOINT_URL).toBe('https://minio.data-platform.svc.cluster.local');
    expect(c.args).toEqual(expect.arrayContaining(['--artifacts-destination', 's3://mlflow-artifacts/prod']));
  });

  test('the bucket Job trusts the same CA and enables versioning', () => {
    const env = envMap(mc);
    expect(env.S3_CA_FILE).toBe('/etc/mlflow/s3-ca/ca.crt');
    expect(mc.volumeMounts).toContainEqual({ name: 's3-ca-bundle', mountPath: '/etc/mlflow/s3-ca', readOnly: true });
    expect(job.spec.template.spec.volumes).toContainEqual(expect.objectContaining({ name: 's3-ca-bundle' }));
    expect(mc.command.join('\n')).toContain('$MC_CONFIG_DIR/certs/CAs');
    expect(env.S3_VERSIONING).toBe('true');
    expect(env.MC_EXTRA_FLAGS).toBeUndefined();
    expect(env.S3_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'minio-mlflow', key: 'accesskey' } });
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
  });

  test('server and Job declare egress to the endpoint namespace on the pods\' port', () => {
    const expected = [{ to: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data-platform' } } }, ports: [{ port: 9000 }] }];
    expect(chart.server.artifacts.egress.map(r => ({ to: r.peer.toPeer(), ports: r.ports }))).toEqual(expected);
    expect(NetworkModel.of(chart).find('mlflow-bucket')!.egress.map(r => ({ to: r.peer.toPeer(), ports: r.ports }))).toEqual(expected);
  });
});

describe('ArtifactStore.s3Compatible options', () => {
  test('ignoreTls sets MLFLOW_S3_IGNORE_TLS and mc --insecure, and nothing CA-related', () => {
    const { objects } = build({ endpoint: 'https://10.20.0.5:9000', ignoreTls: true, bucketJob: {} });
    const env = envMap(serverContainer(objects));
    expect(env.MLFLOW_S3_IGNORE_TLS).toBe('true');
    expect(env.AWS_CA_BUNDLE).toBeUndefined();
    expect(envMap(one(objects, 'Job', 'mlflow-bucket').spec.template.spec.containers[0]).MC_EXTRA_FLAGS).toBe('--insecure');
  });

  test('an IP endpoint gets a /32 egress rule; external names take the given peers', () => {
    expect(build({ endpoint: 'https://10.20.0.5:9000', ignoreTls: true }).chart.server.artifacts.egress.map(r => r.peer.toPeer())).toEqual([{ ipBlock: { cidr: '10.20.0.5/32' } }]);
    const ext = build({ endpoint: 'https://s3.corp.example.com', egressPeers: [NetworkPeer.ipBlock('10.50.0.0/24')] }).chart.server.artifacts.egress;
    expect(ext.map(r => ({ to: r.peer.toPeer(), ports: r.ports }))).toEqual([{ to: { ipBlock: { cidr: '10.50.0.0/24' } }, ports: [{ port: 443 }] }]);
  });

  test('egress narrowed to the endpoint pods by label', () => {
    const { chart } = build({ endpointPodLabels: { 'app.kubernetes.io/name': 'minio' } });
    expect(chart.server.artifacts.egress.map(r => r.peer.toPeer())).toEqual([{
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'minio' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'minio' } },
    }]);
  });

  test('CA bundle from a Secret key', () => {
    const { objects } = build({ endpoint: 'https://minio.minio.svc:9000', caBundle: CaBundle.fromSecret(SecretSource.existing('minio-tls')) });
    expect(one(objects, 'Deployment').spec.template.spec.volumes).toContainEqual({
      name: 's3-ca-bundle', secret: { secretName: 'minio-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 292 },
    });
  });

  test('direct serving exposes the client env (endpoint, addressing, TLS, keys)', () => {
    const { chart } = build({ endpoint: 'https://minio.minio.svc:9000', caBundle: CaBundle.fromConfigMap('ca') }, { artifactServing: ArtifactServing.DIRECT });
    expect(chart.server.clientArtifactEnv.map(e => e.name)).toEqual([
      'MLFLOW_S3_ENDPOINT_URL', 'MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE', 'AWS_CA_BUNDLE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
    ]);
  });

  const bad: Array<[string, Partial<S3CompatibleArtifactStoreOptions>, RegExp]> = [
    ['endpoint that is not a URL', { endpoint: 'minio:9000' }, /invalid artifactStore\.endpoint "minio:9000": must be an absolute URL/],
    ['endpoint with credentials', { endpoint: 'http://user:pw@minio.minio.svc:9000' }, /invalid artifactStore\.endpoint "http:\/\/\*\*\*@minio\.minio\.svc:9000": must not embed credentials/],
    ['endpoint with a path', { endpoint: 'http://minio.minio.svc:9000/mlflow' }, /invalid artifactStore\.endpoint .*must not have a path/],
    ['CA bundle and ignoreTls together', { endpoint: 'https://minio.minio.svc', caBundle: CaBundle.fromConfigMap('ca'), ignoreTls: true }, /invalid artifactStore\.caBundle "\(with ignoreTls: true\)": choose one/],
    ['CA bundle on http', { caBundle: CaBundle.fromConfigMap('ca') }, /caBundle and ignoreTls apply to https:\/\/ endpoints only/],
    ['external host without egress peers', { endpoint: 'https://s3.corp.example.com' }, /invalid artifactStore\.egressPeers \(missing\): the endpoint host 's3\.corp\.example\.com' is outside the cluster/],
    ['bucket', { bucket: 'ML_Flow' }, /invalid artifactStore\.bucket "ML_Flow"/],
    ['IRSA credentials', { credentials: S3Credentials.irsa('arn:aws:iam::123456789012:role/x') }, /needs keys: use S3Credentials\.fromSecret/],
    ['region', { region: 'EU West' }, /invalid artifactStore\.region "EU West"/],
    ['bucket Job image', { bucketJob: { image: 'minio/mc' } }, /invalid artifactStore\.bucketJob\.image "minio\/mc"/],
    ['CA ConfigMap name', { endpoint: 'https://minio.minio.svc', caBundle: CaBundle.fromConfigMap('My CA') }, /invalid artifactStore\.caBundle\.configMapName "My CA"/],
  ];
  test.each(bad)('rejects %s', (_n, options, message) => {
    expect(() => build(options)).toThrow(message);
  });
});
