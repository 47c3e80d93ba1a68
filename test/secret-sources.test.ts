import { Duration, Testing } from 'cdk8s';
import { fakeCiphertext } from './helpers/secrets';
import { baseProps, envMap, one, serverContainer, synthMlflow } from './helpers/synth';
import { MlflowChart, SealedSecretScope, SecretKey, SecretSource, SecretStoreKind } from '../src';


describe('SecretSource.sealed', () => {
  const sealed = SecretSource.sealed({ name: 'mlflow-extra', encryptedData: { token: fakeCiphertext() }, scope: SealedSecretScope.NAMESPACE_WIDE, secretLabels: { team: 'ml' } });
  const objects = synthMlflow({ secretEnv: { EXTRA_TOKEN: sealed.key('token'), OTHER_TOKEN: sealed.key('token') } });

  test('renders one SealedSecret with ciphertext only, template metadata, wave 0, skip dry-run', () => {
    const s = one(objects, 'SealedSecret', 'mlflow-extra');
    expect(s.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(s.metadata.namespace).toBe('mlflow');
    expect(s.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '0',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      'sealedsecrets.bitnami.com/namespace-wide': 'true',
    });
    expect(s.spec).toEqual({ encryptedData: { token: fakeCiphertext() }, template: { metadata: { name: 'mlflow-extra', labels: { team: 'ml' } }, type: 'Opaque' } });
    expect(objects.filter(o => o.kind === 'Secret')).toHaveLength(0);
  });

  test('the server reads it through secretKeyRef', () => {
    expect(envMap(serverContainer(objects)).EXTRA_TOKEN).toEqual({ secretKeyRef: { name: 'mlflow-extra', key: 'token' } });
  });

  test('empty, missing or plain-looking ciphertext fails without echoing the value', () => {
    const bad = (encryptedData: any) => () => synthMlflow({ secretEnv: { X_TOKEN: SecretSource.sealed({ name: 's', encryptedData }).key('k') } });
    expect(bad({})).toThrow(/invalid secretEnv.X_TOKEN.secretName.encryptedData "\(missing\)": must map at least one key/);
    expect(bad({ k: '' })).toThrow(/invalid secretEnv.X_TOKEN.secretName.encryptedData\[k\] "\(empty\)": must be the ciphertext kubeseal printed/);
    expect(bad({ k: 'hunter2-plain-password' })).toThrow(/"\(value hidden\)": is not a kubeseal ciphertext/);
    expect(bad({ k: 'hunter2-plain-password' })).not.toThrow(/hunter2/);
    expect(bad({ k: Buffer.from('short').toString('base64') })).toThrow(/is not a kubeseal ciphertext/);
  });

  test('two different sources with one name in a chart is refused', () => {
    const a = SecretSource.sealed({ name: 'dup', encryptedData: { k: fakeCiphertext(1) } });
    const b = SecretSource.sealed({ name: 'dup', encryptedData: { k: fakeCiphertext(2) } });
    expect(() => synthMlflow({ secretEnv: { A_TOKEN: a.key('k'), B_TOKEN: b.key('k') } })).toThrow(/another secret source already renders a SealedSecret named "dup"/);
  });
});

describe('SecretSource.external', () => {
  const ext = SecretSource.external({
    name: 'mlflow-s3',
    storeRef: { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE },
    data: { AWS_ACCESS_KEY_ID: { key: 'ml/s3', property: 'id' }, AWS_SECRET_ACCESS_KEY: { key: 'ml/s3', property: 'secret' } },
    refreshInterval: Duration.minutes(90),
  });
  const objects = synthMlflow({ envFromSecrets: [ext] });

  test('renders an external-secrets.io/v1 ExternalSecret with store ref and remote keys', () => {
    const es = one(objects, 'ExternalSecret', 'mlflow-s3');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '0', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
    expect(es.spec).toEqual({
      refreshInterval: '1h30m',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'mlflow-s3', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'AWS_ACCESS_KEY_ID', remoteRef: { key: 'ml/s3', property: 'id' } },
        { secretKey: 'AWS_SECRET_ACCESS_KEY', remoteRef: { key: 'ml/s3', property: 'secret' } },
      ],
    });
    expect(serverContainer(objects).envFrom).toEqual([{ secretRef: { name: 'mlflow-s3' } }]);
  });

  test('bad store kind and empty data fail', () => {
    expect(() => synthMlflow({ envFromSecrets: [SecretSource.external({ name: 'x', storeRef: { name: 'v', kind: 'Vault' as any }, data: { a: { key: 'k' } } })] }))
      .toThrow(/invalid envFromSecrets.storeRef.kind "Vault": must be 'SecretStore' or 'ClusterSecretStore'/);
    expect(() => synthMlflow({ envFromSecrets: [SecretSource.external({ name: 'x', storeRef: { name: 'v', kind: SecretStoreKind.SECRET_STORE }, data: {} })] }))
      .toThrow(/invalid envFromSecrets.data \{\}: must map at least one Secret key/);
  });
});

describe('SecretSource.generatedPassword', () => {
  const pw = SecretSource.generatedPassword({ name: 'mlflow-flask', key: 'secret-key', length: 48 });
  const objects = synthMlflow({ secretEnv: { MLFLOW_FLASK_SERVER_SECRET_KEY: pw.key('secret-key') } });

  test('a Password generator and a CreatedOnce ExternalSecret into an immutable, orphaned Secret', () => {
    const gen = one(objects, 'Password', 'mlflow-flask-generator');
    expect(gen.apiVersion).toBe('generators.external-secrets.io/v1alpha1');
    expect(gen.spec).toEqual({ length: 48, digits: 8, symbols: 0, noUpper: false, allowRepeat: true });
    const es = one(objects, 'ExternalSecret', 'mlflow-flask');
    expect(es.spec).toEqual({
      refreshPolicy: 'CreatedOnce',
      target: { name: 'mlflow-flask', creationPolicy: 'Orphan', immutable: true },
      dataFrom: [{
        sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'mlflow-flask-generator' } },
        rewrite: [{ regexp: { source: '^password$', target: 'secret-key' } }],
      }],
    });
    for (const o of [gen, es]) expect(o.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
  });

  test('renders once per chart, again in another chart', () => {
    const app = Testing.app();
    const a = new MlflowChart(app, 'a', baseProps({ secretEnv: { A_KEY: pw.key('secret-key'), B_KEY: pw.key('secret-key') } }));
    const b = new MlflowChart(app, 'b', baseProps({ namespace: 'other', secretEnv: { A_KEY: pw.key('secret-key') } }));
    expect(Testing.synth(a).filter(o => o.kind === 'ExternalSecret')).toHaveLength(1);
    expect(Testing.synth(b).filter(o => o.kind === 'ExternalSecret').map(o => o.metadata.namespace)).toEqual(['other']);
  });

  test('existing Secret references render nothing', () => {
    const o = synthMlflow({ secretEnv: { A_KEY: SecretKey.fromExisting('x', 'y') } });
    expect(o.filter(x => ['SealedSecret', 'ExternalSecret', 'Secret'].includes(x.kind))).toHaveLength(0);
  });
});
