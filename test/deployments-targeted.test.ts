import { Testing } from 'cdk8s';
import { envMap, one, serverContainer } from './helpers/synth';
import { buildApp } from '../src/main';

// Targeted assertions for each deployment of src/main.ts: what the issue asks each one to mirror.
const app = buildApp(Testing.app().outdir);
const charts = Object.fromEntries(app.charts.map(c => [c.node.id, Testing.synth(c)]));
const kinds = (objs: any[], kind: string) => objs.filter(o => o.kind === kind);
const claimSize = (sts: any) => sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage;
const args = (objs: any[]) => serverContainer(objs).args as string[];
const argAfter = (objs: any[], flag: string) => args(objs)[args(objs).indexOf(flag) + 1];

describe('aws-s3', () => {
  const o = charts['aws-s3'];
  const env = envMap(serverContainer(o));
  test('namespace asgard, in-cluster PostgreSQL of 10Gi', () => {
    expect(one(o, 'Namespace').metadata.name).toBe('asgard');
    expect(claimSize(one(o, 'StatefulSet', 'mlflow-postgresql'))).toBe('10Gi');
  });
  test('AWS S3 with the s3-credentials Secret as-is, no endpoint URL', () => {
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 's3-credentials', key: 'AWS_ACCESS_KEY_ID' } });
    expect(env.AWS_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 's3-credentials', key: 'AWS_SECRET_ACCESS_KEY' } });
    expect(env.AWS_DEFAULT_REGION).toEqual({ secretKeyRef: { name: 's3-credentials', key: 'AWS_REGION' } });
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBeUndefined();
    expect(argAfter(o, '--artifacts-destination')).toBe('s3://asgard-mlflow/mlflow-artifacts');
  });
  test('Ingress with TLS, NetworkPolicies, 250m/512Mi -> 1/1Gi', () => {
    expect(one(o, 'Ingress').spec.tls).toHaveLength(1);
    expect(kinds(o, 'NetworkPolicy').length).toBeGreaterThanOrEqual(3);
    expect(serverContainer(o).resources).toMatchObject({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  });
});

describe('minio', () => {
  const o = charts.minio;
  test('namespace mlflow, PostgreSQL 20Gi, MinIO 50Gi with the bucket Job', () => {
    expect(one(o, 'Namespace').metadata.name).toBe('mlflow');
    expect(claimSize(one(o, 'StatefulSet', 'mlflow-postgresql'))).toBe('20Gi');
    expect(claimSize(one(o, 'StatefulSet', 'mlflow-minio'))).toBe('50Gi');
    expect(one(o, 'Job', 'mlflow-bucket').metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
  });
  test('2 replicas with 4 workers, PDB, Ingress nginx + letsencrypt-prod, ServiceMonitors', () => {
    expect(one(o, 'Deployment').spec.replicas).toBe(2);
    expect(argAfter(o, '--workers')).toBe('4');
    expect(one(o, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(one(o, 'Deployment').spec.selector.matchLabels);
    const ing = one(o, 'Ingress');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(kinds(o, 'ServiceMonitor').map(s => s.metadata.name).sort()).toEqual(['mlflow', 'mlflow-minio']);
  });
  test('the server admits the ml-team clients; they get MLFLOW_TRACKING_URI', () => {
    const policy = one(o, 'NetworkPolicy', 'mlflow');
    const fromTeam = policy.spec.ingress.filter((r: any) => r.from.some((p: any) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ml-team'));
    expect(fromTeam).toHaveLength(2);
    const clients = charts['ml-team-clients'];
    const job = one(clients, 'Job', 'train-once').spec.template.spec.containers[0];
    const cron = one(clients, 'CronJob', 'train-nightly').spec.jobTemplate.spec.template.spec.containers[0];
    for (const c of [job, cron]) expect(envMap(c).MLFLOW_TRACKING_URI).toBe('http://mlflow.mlflow.svc.cluster.local:5000');
  });
});

describe('rds-irsa', () => {
  const o = charts['rds-irsa'];
  const env = envMap(serverContainer(o));
  test('external RDS with sslmode=require and the password from a Secret; no database objects', () => {
    expect(env.PGSSLMODE).toBe('require');
    expect(env.PGPASSWORD).toEqual({ secretKeyRef: { name: 'mlflow-rds', key: 'password' } });
    expect(kinds(o, 'StatefulSet')).toHaveLength(0);
  });
  test('S3 through IRSA: the role on the ServiceAccount and no AWS key anywhere', () => {
    expect(one(o, 'ServiceAccount', 'mlflow').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/mlflow-artifacts');
    expect(JSON.stringify(o)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|MLFLOW_S3_ENDPOINT_URL/);
  });
  test('stateless, 2+ replicas behind an Ingress', () => {
    expect(one(o, 'Deployment').spec.replicas).toBeGreaterThanOrEqual(2);
    expect(kinds(o, 'Ingress')).toHaveLength(1);
  });
});

describe('homelab', () => {
  const o = charts.homelab;
  const c = serverContainer(o);
  const env = envMap(c);
  test('credentials as SealedSecrets only, never a Secret', () => {
    expect(kinds(o, 'SealedSecret').map(s => s.metadata.name).sort()).toEqual(['mlflow-auth', 'mlflow-db', 'mlflow-s3']);
    expect(kinds(o, 'Secret')).toHaveLength(0);
  });
  test('external PostgreSQL at a fixed host, MinIO of another namespace, basic-auth on mlflow_auth', () => {
    expect(env.PGHOST).toBe('192.168.1.50');
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBe('http://minio.minio.svc.cluster.local:9000');
    expect(argAfter(o, '--app-name')).toBe('basic-auth');
    const init = one(o, 'Deployment').spec.template.spec.initContainers.find((i: any) => i.name === 'render-auth-config');
    expect(envMap(init).AUTH_DATABASE_URI).toBe('postgresql+psycopg2:///mlflow_auth');
  });
  test('the migration Job migrates the auth database too (workers never race on it)', () => {
    const job = one(o, 'Job', 'mlflow-migrate-3-17-0').spec.template.spec.containers[0];
    expect(envMap(job).AUTH_DATABASE_URI).toBe('postgresql+psycopg2:///mlflow_auth');
    expect(job.command[2]).toContain("auth_db.migrate_if_needed(u.create_sqlalchemy_engine_with_retry(auth_url), 'head')");
    expect(envMap(one(charts['aws-s3'], 'Job').spec.template.spec.containers[0]).AUTH_DATABASE_URI).toBeUndefined();
  });
  test('private registry image with its pull Secret, NodePort 30800 and a fixed LoadBalancer IP', () => {
    expect(c.image).toBe('harbor.homelab.lan/mlops/mlflow:v3.17.0-full');
    expect(one(o, 'Deployment').spec.template.spec.imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
    const svc = one(o, 'Service', 'mlflow');
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerIP: '192.168.1.240' });
    expect(svc.spec.ports[0].nodePort).toBe(30800);
  });
  test('large resources: 2-4 CPU, 8-16Gi', () => {
    expect(c.resources).toMatchObject({ requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi' } });
  });
});

describe('data-platform', () => {
  const o = charts['data-platform'];
  const env = envMap(serverContainer(o));
  test('shared PostgreSQL in another namespace with the bootstrap Job', () => {
    expect(env.PGHOST).toBe('postgresql.data-platform-db.svc.cluster.local');
    expect(one(o, 'Job', 'mlflow-postgres-bootstrap').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('2');
  });
  test('MinIO over TLS with a CA bundle and a versioned bucket', () => {
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBe('https://minio.data-platform-storage.svc.cluster.local:9000');
    expect(env.AWS_CA_BUNDLE).toMatch(/ca\.crt$/);
    expect(env.MLFLOW_S3_IGNORE_TLS).toBeUndefined();
    expect(envMap(one(o, 'Job', 'mlflow-bucket').spec.template.spec.containers[0]).S3_VERSIONING).toBe('true');
  });
  test('2 replicas with anti-affinity, ServiceMonitor, PrometheusRule, dashboard', () => {
    const d = one(o, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    for (const k of ['ServiceMonitor', 'PrometheusRule']) expect(kinds(o, k)).toHaveLength(1);
    expect(one(o, 'ConfigMap', 'mlflow-dashboard').metadata.labels.grafana_dashboard).toBe('1');
  });
});

test('one Argo CD Application per deployment folder, outside the deployment folders', () => {
  const apps = charts['argocd-applications'];
  const folders = app.charts.map(c => c.node.id).filter(id => id !== 'argocd-applications').sort();
  expect(apps.map(a => a.spec.source.path.replace('dist/', '')).sort()).toEqual(folders);
  for (const id of folders) expect(kinds(charts[id], 'Application')).toHaveLength(0);
});
