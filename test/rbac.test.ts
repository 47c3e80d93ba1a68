import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { baseProps, one } from './helpers/synth';
import { ArtifactStore, BackendStore, MlflowChart, SecretKey, SecretSource } from '../src';

describe('RBAC', () => {
  test('by default: no Role, no binding, no token anywhere', () => {
    const o = Testing.synth(new MlflowChart(Testing.app(), 'r', baseProps()));
    expect(o.filter(x => ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(x.kind))).toHaveLength(0);
    for (const sa of o.filter(x => x.kind === 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
    expect(one(o, 'Deployment').spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('imagePullSecrets: on every pod spec of the chart (server, migration, database, MinIO, bucket Job)', () => {
    const c = new MlflowChart(Testing.app(), 'r', baseProps({
      imagePullSecrets: ['harbor'],
      backendStore: BackendStore.inCluster({ password: SecretKey.fromExisting('pg', 'password') }),
      artifactStore: ArtifactStore.minio({ rootCredentials: SecretSource.existing('minio-root') }),
    }));
    const o = Testing.synth(c);
    const specs = o.flatMap(x => x.kind === 'CronJob' ? [x.spec.jobTemplate.spec.template.spec] : x.spec?.template?.spec ? [x.spec.template.spec] : []);
    expect(specs.length).toBeGreaterThanOrEqual(5);
    for (const s of specs) expect(s.imagePullSecrets).toEqual([{ name: 'harbor' }]);
  });

  describe('grantApiRead', () => {
    const chart = new MlflowChart(Testing.app(), 'r', baseProps());
    chart.server.grantApiRead({ secrets: ['mlflow-db', 'mlflow-admin'], configMaps: ['mlflow-settings'], apiServerCidrs: ['172.20.0.10/32'] });
    const o = Testing.synth(chart);

    test('a Role with get on resourceNames only, bound to the server ServiceAccount', () => {
      expect(one(o, 'Role', 'mlflow-api-read').rules).toEqual([
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['mlflow-admin', 'mlflow-db'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['mlflow-settings'] },
      ]);
      const rb = one(o, 'RoleBinding', 'mlflow-api-read');
      expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'mlflow-api-read' });
      expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'mlflow', namespace: 'mlflow' }]);
    });

    test('only the server pod mounts its token; the ServiceAccount keeps automount off', () => {
      expect(one(o, 'Deployment').spec.template.spec.automountServiceAccountToken).toBe(true);
      expect(one(o, 'ServiceAccount', 'mlflow').automountServiceAccountToken).toBe(false);
      expect(o.find(x => x.kind === 'Job').spec.template.spec.automountServiceAccountToken).toBe(false);
    });

    test('egress to the API server endpoints', () => {
      expect(one(o, 'NetworkPolicy', 'mlflow').spec.egress).toContainEqual({
        to: [{ ipBlock: { cidr: '172.20.0.10/32' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }],
      });
    });

    test('bad input', () => {
      const c = () => new MlflowChart(Testing.app(), 'r', baseProps());
      expect(() => c().server.grantApiRead({ apiServerCidrs: ['10.0.0.1/32'] })).toThrow(/invalid grantApiRead .*name at least one Secret or ConfigMap/);
      expect(() => c().server.grantApiRead({ secrets: ['*'], apiServerCidrs: ['10.0.0.1/32'] })).toThrow(/invalid grantApiRead.secrets "\*": must be a DNS-1123 subdomain/);
      expect(() => c().server.grantApiRead({ secrets: ['a'], apiServerCidrs: [] })).toThrow(/invalid grantApiRead.apiServerCidrs \[\]: list the API server endpoint addresses/);
      expect(() => c().server.grantApiRead({ secrets: ['a'], apiServerCidrs: ['10.0.0.1/8'] })).toThrow(/invalid grantApiRead.apiServerCidrs "10.0.0.1\/8": must be an IPv4 CIDR with no host bits set/);
    });
  });

  describe('client connection ConfigMap', () => {
    const app = Testing.app();
    const chart = new MlflowChart(app, 'r', baseProps());
    const sa = new kplus.ServiceAccount(chart, 'trainer', { metadata: { name: 'trainer' }, automountToken: false });
    const name = chart.server.grantClientConfigRead(sa.name);
    chart.server.grantClientConfigRead('notebook', 'research');
    chart.server.grantClientConfigRead('notebook', 'research');
    const o = Testing.synth(chart);

    test('ConfigMap <name>-client with MLFLOW_TRACKING_URI only', () => {
      expect(name).toBe('mlflow-client');
      expect(one(o, 'ConfigMap', 'mlflow-client').data).toEqual({ MLFLOW_TRACKING_URI: 'http://mlflow.mlflow.svc.cluster.local:5000' });
    });

    test('one Role (get, resourceNames) and one RoleBinding listing every granted account once', () => {
      expect(one(o, 'Role', 'mlflow-client-config').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['mlflow-client'] }]);
      expect(one(o, 'RoleBinding', 'mlflow-client-config').subjects).toEqual([
        { kind: 'ServiceAccount', name: 'trainer', namespace: 'mlflow' },
        { kind: 'ServiceAccount', name: 'notebook', namespace: 'research' },
      ]);
    });

    test('every rendered Role: no wildcard, no list/watch, resourceNames always; no cluster roles', () => {
      const all = [...o, ...Testing.synth((() => {
        const c = new MlflowChart(Testing.app(), 'x', baseProps());
        c.server.grantApiRead({ secrets: ['s'], apiServerCidrs: ['10.0.0.1/32'] });
        return c;
      })())];
      expect(all.filter(x => x.kind === 'ClusterRole' || x.kind === 'ClusterRoleBinding')).toHaveLength(0);
      for (const r of all.filter(x => x.kind === 'Role')) {
        for (const rule of r.rules) {
          expect(rule.verbs).toEqual(['get']);
          expect(rule.resourceNames.length).toBeGreaterThan(0);
          expect(JSON.stringify(rule)).not.toContain('*');
        }
      }
    });
  });
});
