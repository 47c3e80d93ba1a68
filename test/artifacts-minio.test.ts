import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Size, Testing } from 'cdk8s';
import { baseProps, envMap, one, serverContainer } from './helpers/synth';
import { ArtifactStore, MlflowChart, MlflowChartProps, MinioArtifactStoreOptions, NetworkModel, S3Credentials, SecretSource } from '../src';
import { BUCKET_SCRIPT } from '../src/artifacts/bucket-job';

const ROOT = SecretSource.existing('minio-root');

function build(options: Partial<MinioArtifactStoreOptions> = {}, overrides: Partial<MlflowChartProps> = {}) {
  const chart = new MlflowChart(Testing.app(), 'test', baseProps({ artifactStore: ArtifactStore.minio({ rootCredentials: ROOT, ...options }), ...overrides }));
  return { chart, objects: Testing.synth(chart) };
}

describe('ArtifactStore.minio defaults', () => {
  const { chart, objects } = build();
  const sts = one(objects, 'StatefulSet', 'mlflow-minio');
  const pod = sts.spec.template.spec;
  const minio = pod.containers[0];
  const job = one(objects, 'Job', 'mlflow-bucket');
  const mc = job.spec.template.spec.containers[0];

  test('matches its snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('StatefulSet: one replica, headless service, 50Gi PVC retained and protected from prune, data-store wave', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('mlflow-minio-headless');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const [pvc] = sts.spec.volumeClaimTemplates;
    expect(pvc.metadata.name).toBe('data');
    expect(pvc.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } });
    // immutable once created: nothing that changes with an upgrade
    expect(pvc.metadata.labels).not.toHaveProperty(['app.kubernetes.io/version']);
    expect(sts.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(sts.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'artifact-store' });
    expect(sts.spec.template.metadata.labels).toMatchObject(sts.spec.selector.matchLabels);
  });

  test('Services: headless for the StatefulSet, and one with api 9000 and console 9001', () => {
    const headless = one(objects, 'Service', 'mlflow-minio-headless');
    expect(headless.spec.clusterIP).toBe('None');
    const svc = one(objects, 'Service', 'mlflow-minio');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([
      { name: 'api', port: 9000, targetPort: 'api', protocol: 'TCP' },
      { name: 'console', port: 9001, targetPort: 'console', protocol: 'TCP' },
    ]);
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(svc.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
  });

  test('MinIO container: pinned image, server /data on :9000 and console :9001, certs dir on the emptyDir', () => {
    expect(minio.image).toMatch(/^quay\.io\/minio\/minio:RELEASE\.20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}Z$/);
    expect(minio.imagePullPolicy).toBe('IfNotPresent');
    expect(minio.command).toEqual(['minio']);
    expect(minio.args).toEqual(['server', '/data', '--address', ':9000', '--console-address', ':9001', '--certs-dir', '/tmp/.minio/certs']);
    expect(minio.ports).toEqual([
      { name: 'api', containerPort: 9000, protocol: 'TCP' },
      { name: 'console', containerPort: 9001, protocol: 'TCP' },
    ]);
  });

  test('root credentials from the Secret, metrics auth public, HOME on the emptyDir', () => {
    const env = envMap(minio);
    expect(env.MINIO_ROOT_USER).toEqual({ secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_USER' } });
    expect(env.MINIO_ROOT_PASSWORD).toEqual({ secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_PASSWORD' } });
    expect(env.MINIO_PROMETHEUS_AUTH_TYPE).toBe('public');
    expect(env.HOME).toBe('/tmp');
  });

  test('non-root with fsGroup, read-only root, writable /data and /tmp', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(minio.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(minio.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('mlflow-minio');
    expect(one(objects, 'ServiceAccount', 'mlflow-minio').automountServiceAccountToken).toBe(false);
  });

  test('probes: ready and live differ, startup probe', () => {
    expect(minio.readinessProbe.httpGet).toEqual({ path: '/minio/health/ready', port: 'api' });
    expect(minio.livenessProbe.httpGet).toEqual({ path: '/minio/health/live', port: 'api' });
    expect(minio.startupProbe.httpGet).toEqual({ path: '/minio/health/live', port: 'api' });
  });

  test('resources: requests and limits for cpu, memory and ephemeral storage', () => {
    expect(minio.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '1Gi', 'ephemeral-storage': '256Mi' },
      limits: { 'cpu': '2', 'memory': '2Gi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('exposes what a ServiceMonitor needs', () => {
    const m = chart.server.artifacts.minio!;
    expect(m.serviceName).toBe('mlflow-minio');
    expect(m.apiPortName).toBe('api');
    expect(m.metricsPath).toBe('/minio/v2/metrics/cluster');
    expect(m.prometheusAuth).toBe('public');
    expect(m.serviceLabels).toMatchObject(m.podSelectorLabels);
  });

  test('the server uses the in-cluster endpoint, path style and the root keys from the Secret', () => {
    const env = envMap(serverContainer(objects));
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBe('http://mlflow-minio.mlflow.svc.cluster.local:9000');
    expect(env.MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE).toBe('path');
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_USER' } });
    expect(env.AWS_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_PASSWORD' } });
    expect(serverContainer(objects).args).toEqual(expect.arrayContaining(['--artifacts-destination', 's3://mlflow']));
  });

  test('bucket Job: Argo CD Sync hook in the store set-up wave, TTL, dedicated ServiceAccount', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    });
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    const spec = job.spec.template.spec;
    expect(spec.serviceAccountName).toBe('mlflow-bucket');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(one(objects, 'ServiceAccount', 'mlflow-bucket').automountServiceAccountToken).toBe(false);
    expect(spec.restartPolicy).toBe('Never');
  });

  test('bucket Job: pinned mc, idempotent mb, never anonymous, keys only from secretKeyRef', () => {
    expect(mc.image).toMatch(/^quay\.io\/minio\/mc:RELEASE\.20[0-9]{2}-/);
    const script = mc.command.join('\n');
    expect(script).toContain('mc mb ${MC_EXTRA_FLAGS:-} --ignore-existing "target/$S3_BUCKET"');
    expect(script).not.toMatch(/anonymous|policy/);
    const env = envMap(mc);
    expect(env.S3_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_USER' } });
    expect(env.S3_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_PASSWORD' } });
    expect(env.S3_ENDPOINT).toBe('http://mlflow-minio.mlflow.svc.cluster.local:9000');
    expect(env.S3_VERSIONING).toBe('false');
    expect(env.MC_CONFIG_DIR).toBe('/tmp/.mc');
    expect(mc.args).toBeUndefined();
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } });
    expect(mc.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(mc.resources.limits).toEqual({ 'cpu': '200m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' });
  });

  test('network: MinIO accepts 9000 from the server and the bucket Job; both declare egress to it', () => {
    const model = NetworkModel.of(chart);
    const m = model.find('mlflow-minio')!;
    expect(m.podLabels).toEqual({ 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'artifact-store' });
    expect(m.ingress.map(r => ({ from: r.peer.toPeer(), ports: r.ports }))).toEqual([
      { from: { podSelector: { matchLabels: { 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/instance': 'mlflow' } } }, ports: [{ port: 9000 }] },
      { from: { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mlflow', 'app.kubernetes.io/component': 'bucket-setup' } } }, ports: [{ port: 9000 }] },
    ]);
    const toMinio = { podSelector: { matchLabels: m.podLabels } };
    expect(model.find('mlflow')!.egress.map(r => r.peer.toPeer())).toContainEqual(toMinio);
    expect(model.find('mlflow-bucket')!.egress.map(r => r.peer.toPeer())).toEqual([toMinio]);
    expect(job.spec.template.metadata.labels).toMatchObject(model.find('mlflow-bucket')!.podLabels);
  });

  test('no secret material in the output', () => {
    expect(objects.filter(o => o.kind === 'Secret')).toHaveLength(0);
    expect(objects.filter(o => o.kind === 'ConfigMap')).toHaveLength(0);
  });
});

describe('ArtifactStore.minio options', () => {
  test('storage size and class, key names, bucket, prefix, prometheus auth', () => {
    const { objects } = build({
      storageSize: Size.gibibytes(200), storageClassName: 'fast-ssd', rootUserKey: 'user', rootPasswordKey: 'password',
      bucket: 'models', prefix: 'mlflow', prometheusAuth: 'jwt' as any,
    });
    const sts = one(objects, 'StatefulSet', 'mlflow-minio');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '200Gi' } } });
    const env = envMap(sts.spec.template.spec.containers[0]);
    expect(env.MINIO_ROOT_USER).toEqual({ secretKeyRef: { name: 'minio-root', key: 'user' } });
    expect(env.MINIO_PROMETHEUS_AUTH_TYPE).toBe('jwt');
    const mcEnv = envMap(one(objects, 'Job', 'mlflow-bucket').spec.template.spec.containers[0]);
    expect(mcEnv.S3_BUCKET).toBe('models');
    expect(mcEnv.S3_VERSIONING).toBe('false');
    expect(mcEnv.S3_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'minio-root', key: 'password' } });
    expect(serverContainer(objects).args).toEqual(expect.arrayContaining(['--artifacts-destination', 's3://models/mlflow']));
  });

  test('versioning is refused: a single-drive MinIO cannot version objects', () => {
    expect(() => build({ versioning: true })).toThrow(/invalid artifactStore.versioning true: is not supported by the in-cluster single-drive MinIO/);
  });

  test('a dedicated server user from its own Secret', () => {
    const { objects } = build({ serverCredentials: S3Credentials.fromSecret(SecretSource.existing('mlflow-minio-user')) });
    const env = envMap(serverContainer(objects));
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'mlflow-minio-user', key: 'AWS_ACCESS_KEY_ID' } });
    // the bucket Job still uses root
    expect(envMap(one(objects, 'Job', 'mlflow-bucket').spec.template.spec.containers[0]).S3_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_USER' } });
  });

  test('the stack name prefixes every MinIO object; the cluster domain reaches the endpoint', () => {
    const { objects } = build({}, { name: 'tracking', clusterDomain: 'corp.local' });
    expect(objects.filter(o => o.metadata.name.startsWith('tracking-minio')).map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'NetworkPolicy/tracking-minio', 'Service/tracking-minio', 'Service/tracking-minio-headless', 'ServiceAccount/tracking-minio', 'StatefulSet/tracking-minio',
    ]);
    expect(envMap(serverContainer(objects)).MLFLOW_S3_ENDPOINT_URL).toBe('http://tracking-minio.mlflow.svc.corp.local:9000');
  });

  const bad: Array<[string, Partial<MinioArtifactStoreOptions>, RegExp]> = [
    ['bucket', { bucket: 'Models' }, /invalid artifactStore\.bucket "Models"/],
    ['image not pinned', { image: 'quay.io/minio/minio:latest' }, /invalid artifactStore\.image "quay\.io\/minio\/minio:latest"/],
    ['mc image not pinned', { mcImage: 'quay.io/minio/mc' }, /invalid artifactStore\.mcImage/],
    ['storage class', { storageClassName: 'Fast SSD' }, /invalid artifactStore\.storageClassName "Fast SSD"/],
    ['root key name', { rootPasswordKey: 'pass word' }, /invalid artifactStore\.rootPasswordKey\.key "pass word"/],
    ['IRSA for MinIO', { serverCredentials: S3Credentials.irsa('arn:aws:iam::123456789012:role/x') }, /invalid artifactStore\.serverCredentials "irsa": MinIO needs keys/],
    ['low UID', { podIdentity: { runAsUser: 1000 } }, /invalid artifactStore\.podIdentity\.runAsUser 1000/],
    ['wait attempts', { waitAttempts: 0 }, /invalid artifactStore\.waitAttempts 0/],
  ];
  test.each(bad)('rejects a bad %s', (_n, options, message) => {
    expect(() => build(options)).toThrow(message);
  });
});

describe('bucket script (run with a stub mc)', () => {
  function run(failures: number, versioning: boolean, attempts = 5, extra: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'mc-stub-'));
    const log = join(dir, 'log');
    writeFileSync(join(dir, 'mc'), [
      '#!/bin/sh',
      'echo "ARGV $*" >> "$STUB_LOG"',
      'case "$*" in *"alias set"*)',
      '  echo "STDIN $(cat | tr "\\n" " ")" >> "$STUB_LOG"',
      '  n=$(cat "$STUB_LOG.count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$STUB_LOG.count"',
      `  [ "$n" -gt ${failures} ] || exit 1 ;;`,
      'esac',
    ].join('\n'));
    writeFileSync(join(dir, 'sleep'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'mc'), 0o755);
    chmodSync(join(dir, 'sleep'), 0o755);
    const r = spawnSync('/bin/sh', ['-c', BUCKET_SCRIPT], {
      env: {
        PATH: `${dir}:/usr/bin:/bin`, STUB_LOG: log, HOME: dir, MC_CONFIG_DIR: join(dir, '.mc'),
        S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'mlflow', S3_VERSIONING: versioning ? 'true' : 'false',
        WAIT_ATTEMPTS: String(attempts), S3_ACCESS_KEY_ID: 'canary-user', S3_SECRET_ACCESS_KEY: 'canary-p@ss/word',
        ...extra,
      },
      encoding: 'utf8',
    });
    return { status: r.status, out: r.stdout + r.stderr, log: readFileSync(log, 'utf8'), dir };
  }

  test('waits, then creates the bucket; keys go through stdin, never argv', () => {
    const r = run(2, false);
    expect(r.status).toBe(0);
    const argv = r.log.split('\n').filter(l => l.startsWith('ARGV'));
    expect(argv).toEqual([
      'ARGV alias set --path on target http://minio:9000',
      'ARGV alias set --path on target http://minio:9000',
      'ARGV alias set --path on target http://minio:9000',
      'ARGV mb --ignore-existing target/mlflow',
    ]);
    expect(r.log).toContain('STDIN canary-user canary-p@ss/word');
    expect(argv.join('\n')).not.toContain('canary');
    expect(r.out).not.toContain('canary');
    expect(r.out).toContain('attempt 2/5');
  });

  test('enables versioning when asked', () => {
    const r = run(0, true);
    expect(r.status).toBe(0);
    expect(r.log).toContain('ARGV version enable target/mlflow');
  });

  test('trusts a mounted CA (mc reads <config dir>/certs/CAs) and passes --insecure after each subcommand', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'ca-')), 'ca.crt');
    writeFileSync(ca, 'PEM');
    const r = run(0, true, 5, { S3_CA_FILE: ca, MC_EXTRA_FLAGS: '--insecure' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(r.dir, '.mc', 'certs', 'CAs', 'ca.crt'), 'utf8')).toBe('PEM');
    expect(r.log).toContain('ARGV alias set --insecure --path on target http://minio:9000');
    expect(r.log).toContain('ARGV mb --insecure --ignore-existing target/mlflow');
    expect(r.log).toContain('ARGV version enable --insecure target/mlflow');
  });

  test('gives up after the bounded number of attempts', () => {
    const r = run(100, false, 3);
    expect(r.status).toBe(1);
    expect(r.out).toContain('not usable after 3 attempts');
    expect(r.log).not.toContain('ARGV mb');
  });
});
