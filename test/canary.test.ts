import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { baseProps } from './helpers/synth';
import { fakeCiphertext } from './helpers/secrets';
import { MlflowChart, MlflowChartProps, SecretKey, SecretSource, SecretStoreKind } from '../src';
import { credentialProblems } from '../src/secrets/credential-guard';

const SENTINEL = 'Canary-Pw-7f3a9c1e-DoNotLeak';

/** Every spelling of the sentinel that must never reach output or error messages. */
function leaks(text: string): boolean {
  if (text.includes(SENTINEL)) return true;
  // base64 at each of the three alignments (the sentinel embedded anywhere in an encoded value)
  for (let pad = 0; pad < 3; pad++) {
    const enc = Buffer.from('x'.repeat(pad) + SENTINEL).toString('base64').slice(Math.ceil(pad * 4 / 3) + 1, -4);
    if (enc.length > 8 && text.includes(enc)) return true;
  }
  for (const m of text.match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? []) {
    if (Buffer.from(m, 'base64').toString('latin1').includes(SENTINEL)) return true;
  }
  return false;
}

function attempt(build: () => any): { output?: string; error?: string } {
  try {
    return { output: JSON.stringify(build()) };
  } catch (e) {
    return { error: String((e as Error).message) };
  }
}

function chart(props: Partial<MlflowChartProps>, then?: (c: MlflowChart) => void): any[] {
  const c = new MlflowChart(Testing.app(), 'canary', baseProps(props));
  then?.(c);
  return Testing.synth(c);
}

describe('canary: a credential fed into any input never appears in output or errors (plain or base64)', () => {
  const uri = `postgresql://mlflow:${SENTINEL}@db.example.com:5432/mlflow`;
  const cases: Record<string, () => any> = {
    'env with a credential name': () => chart({ env: { DB_PASSWORD: SENTINEL } }),
    'env holding a URI with a password': () => chart({ env: { DATABASE_URL: uri } }),
    'extraArgs holding a URI with a password': () => chart({ extraArgs: ['--backend-store-uri', uri] }),
    'SealedSecret given the plain value': () => chart({ secretEnv: { X_TOKEN: SecretSource.sealed({ name: 'x', encryptedData: { token: SENTINEL } }).key('token') } }),
    'SealedSecret given base64 of the plain value': () => chart({ secretEnv: { X_TOKEN: SecretSource.sealed({ name: 'x', encryptedData: { token: Buffer.from(SENTINEL).toString('base64') } }).key('token') } }),
    'basic-auth admin password as a literal': () => chart({
      auth: { adminUsername: SecretKey.fromExisting('a', 'u'), adminPassword: SENTINEL as any, flaskSecretKey: SecretKey.fromExisting('a', 'k'), databaseUri: SecretKey.fromExisting('a', 'd') },
    }),
    'basic-auth Flask key as a literal': () => chart({
      auth: { adminUsername: SecretKey.fromExisting('a', 'u'), adminPassword: SecretKey.fromExisting('a', 'p'), flaskSecretKey: SENTINEL as any, databaseUri: SecretKey.fromExisting('a', 'd') },
    }),
    'allowClient credentials as a literal': () => chart({}, c => {
      const job = new kplus.Job(c, 'train', { containers: [{ image: 'x/train:1.0.0' }] });
      c.server.allowClient(job, { credentials: { username: SecretKey.fromExisting('a', 'u'), password: SENTINEL as any } });
    }),
    'a pod annotation carrying a URI with a password': () => chart({ podAnnotations: { 'example.com/db': uri } }),
  };

  for (const [name, build] of Object.entries(cases)) {
    test(name, () => {
      const r = attempt(build);
      expect(r.error ?? '').not.toBe('');
      expect(leaks(r.error ?? '')).toBe(false);
      expect(leaks(r.output ?? '')).toBe(false);
      expect(r.error).toMatch(/invalid|credential in plain text|not a kubeseal ciphertext/);
    });
  }

  test('a full secure configuration renders no Secret data and nothing credential-like', () => {
    const objects = chart({
      replicas: 2,
      ingress: { hosts: ['mlflow.example.com'] },
      secretEnv: { EXTRA_TOKEN: SecretSource.sealed({ name: 'extra', encryptedData: { token: fakeCiphertext() } }).key('token') },
      envFromSecrets: [SecretSource.external({ name: 's3', storeRef: { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE }, data: { AWS_SECRET_ACCESS_KEY: { key: 'ml/s3', property: 'secret' } } })],
      auth: {
        adminUsername: SecretKey.fromExisting('mlflow-admin', 'username'),
        adminPassword: SecretKey.fromExisting('mlflow-admin', 'password'),
        flaskSecretKey: SecretSource.generatedPassword({ name: 'flask' }).key('password'),
        databaseUri: SecretKey.fromExisting('mlflow-auth-db', 'uri'),
      },
      networkPolicy: { allowPrometheus: true },
    }, c => {
      c.server.allowClient(new kplus.Job(c, 'train', { containers: [{ image: 'x/train:1.0.0' }] }), {
        credentials: { username: SecretKey.fromExisting('t', 'u'), password: SecretKey.fromExisting('t', 'p') },
      });
      c.server.grantClientConfigRead('trainer');
    });
    for (const o of objects) expect(credentialProblems(o)).toEqual([]);
    expect(objects.filter(o => o.kind === 'Secret')).toHaveLength(0);
    expect(leaks(JSON.stringify(objects))).toBe(false);
  });

  test('the guard flags a Secret with data and a credential env literal', () => {
    expect(credentialProblems({ kind: 'Secret', data: { a: 'b' } })).toHaveLength(1);
    expect(credentialProblems({ kind: 'Pod', spec: { containers: [{ env: [{ name: 'API_TOKEN', value: 'x' }] }] } })).toEqual(['.spec.containers[0].env[API_TOKEN]: a literal value for a credential-like variable']);
    expect(credentialProblems({ kind: 'ConfigMap', data: { u: 'https://u:p@h/' } })).toEqual(['.data.u: a URI with a password']);
    expect(credentialProblems({ kind: 'Pod', spec: { containers: [{ env: [{ name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/pg/password' }] }] } })).toEqual([]);
    // variable references are expanded at run time, not literals in the manifest
    expect(credentialProblems({ kind: 'Pod', spec: { containers: [{ env: [{ name: 'MC_HOST_minio', value: 'http://$(MINIO_ROOT_USER):$(MINIO_ROOT_PASSWORD)@minio:9000' }], args: ['mc alias set m http://${U}:${P}@minio:9000 && echo http://$U:$P@x'] }] } })).toEqual([]);
  });
});
