import { Testing } from 'cdk8s';
import { StatefulSet, Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { parse, stringify } from 'yaml';
import { baseProps } from './helpers/synth';
import { ArtifactServing, ArtifactStore, CaBundle, IArtifactStore, MlflowChart, S3Credentials, S3Encryption, SecretSource } from '../src';

// Manifest rules (MANIFEST-CHECKLIST.md) applied to the output of every artifact store form.
const FORMS: Record<string, IArtifactStore> = {
  's3-irsa': ArtifactStore.s3({ bucket: 'team-mlflow', region: 'eu-west-1', credentials: S3Credentials.irsa('arn:aws:iam::123456789012:role/m'), encryption: S3Encryption.kms({ keyId: 'alias/mlflow' }) }),
  's3-secret': ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.fromSecret(SecretSource.existing('s3-credentials'), { regionKey: 'AWS_REGION' }) }),
  'minio': ArtifactStore.minio({ rootCredentials: SecretSource.existing('minio-root') }),
  's3-compatible': ArtifactStore.s3Compatible({
    endpoint: 'https://minio.data-platform.svc.cluster.local:9000',
    bucket: 'mlflow',
    credentials: S3Credentials.fromSecret(SecretSource.existing('minio-mlflow')),
    caBundle: CaBundle.fromSecret(SecretSource.existing('minio-tls')),
    bucketJob: { versioning: true },
  }),
};
const MODELS: Record<string, any> = { StatefulSet, Deployment, Job, Namespace, Service, ServiceAccount, Ingress, NetworkPolicy };
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL)/i;

describe.each(Object.entries(FORMS))('%s', (_name, artifactStore) => {
  for (const serving of [ArtifactServing.PROXIED, ArtifactServing.DIRECT]) {
    const objects = Testing.synth(new MlflowChart(Testing.app(), 'test', baseProps({ artifactStore, artifactServing: serving })));
    const pods = objects.filter(o => o.spec?.template?.spec).map(o => ({ o, spec: o.spec.template.spec }));

    test(`${serving}: every object passes the Kubernetes schema of its kind`, () => {
      for (const o of objects) {
        const Model = MODELS[o.kind];
        expect(Model).toBeDefined();
        expect(() => new Model(o).validate()).not.toThrow();
      }
    });

    test(`${serving}: no Secret data; credential-like env names never carry a literal`, () => {
      expect(objects.filter(o => o.kind === 'Secret' || o.kind === 'ConfigMap')).toHaveLength(0);
      for (const { spec } of pods) {
        for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
          const names = (c.env ?? []).map((e: any) => e.name);
          expect(new Set(names).size).toBe(names.length);
          for (const e of c.env ?? []) if (CREDENTIAL_NAME.test(e.name)) expect(e.value).toBeUndefined();
        }
      }
    });

    test(`${serving}: restricted pods, pinned images, resources, dedicated accounts`, () => {
      const accounts = new Set(objects.filter(o => o.kind === 'ServiceAccount').map(o => o.metadata.name));
      for (const { spec } of pods) {
        expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        expect(spec.securityContext.runAsUser).toBeGreaterThanOrEqual(10000);
        expect(spec.securityContext.fsGroup).toBeGreaterThanOrEqual(10000);
        expect(spec.automountServiceAccountToken).toBe(false);
        expect(accounts.has(spec.serviceAccountName)).toBe(true);
        for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
          expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
          expect(c.image).toMatch(/:[^:@]+$|@sha256:/);
          expect(c.image).not.toMatch(/:latest$/);
          expect(c.imagePullPolicy).toBeDefined();
          for (const k of ['cpu', 'memory', 'ephemeral-storage']) {
            expect(typeof c.resources.requests[k]).toBe('string');
            expect(typeof c.resources.limits[k]).toBe('string');
          }
        }
      }
    });

    test(`${serving}: Jobs are hooks with a TTL; everything has an integer-string sync wave`, () => {
      for (const o of objects) expect(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toMatch(/^[0-9]+$/);
      for (const j of objects.filter(o => o.kind === 'Job')) {
        expect(j.metadata.annotations['argocd.argoproj.io/hook']).toBeDefined();
        expect(j.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBeDefined();
        expect(j.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
      }
    });

    test(`${serving}: Services select pods of the output; YAML 1.1 and 1.2 agree`, () => {
      for (const s of objects.filter(o => o.kind === 'Service')) {
        const selected = pods.filter(({ o }) => Object.entries(s.spec.selector).every(([k, v]) => o.spec.template.metadata.labels[k] === v));
        expect(selected.length).toBeGreaterThan(0);
      }
      const text = stringify(objects);
      expect(parse(text, { version: '1.1' })).toEqual(parse(text, { version: '1.2' }));
    });
  }
});
