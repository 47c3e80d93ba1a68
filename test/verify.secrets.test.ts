import { Testing } from 'cdk8s';
import { checkManifests, encodings, formatViolations } from './checks';
import { synthMlflow } from './helpers/synth';
import { SUITE_OPTIONS } from './helpers/verify';
import { MlflowChartProps } from '../src/chart/mlflow-chart';
import { MlflowConfigError } from '../src/common/errors';
import { SecretKey, SecretSource } from '../src/secrets/secret-source';
import { ServiceExposure } from '../src/server/service-exposure';

// Rule 18: a canary credential fed into every prop a user might misuse for one never reaches the output,
// plain or encoded: synthesis refuses it (without echoing it in the error), or it is not rendered at all.

const CANARY = 'Cnry7f3e9a1cPw';
const uri = (scheme: string) => `${scheme}://mlflow:${CANARY}@db.example.com:5432/mlflow`;

const misuses: [string, Partial<MlflowChartProps>][] = [
  ['env: password under a credential-like name', { env: { DB_PASSWORD: CANARY } }],
  ['env: token under a credential-like name', { env: { MLFLOW_TRACKING_TOKEN: CANARY } }],
  ['env: AWS secret key', { env: { AWS_SECRET_ACCESS_KEY: CANARY } }],
  ['env: URI with user:password@ under a harmless name', { env: { DATABASE_URL: uri('postgresql+psycopg2') } }],
  ['extraArgs: backend URI with a password', { extraArgs: ['--backend-store-uri', uri('postgresql')] }],
  ['extraArgs: --x-password=', { extraArgs: [`--db-password=${CANARY}`] }],
  ['podAnnotations: URI with a password', { podAnnotations: { 'example.com/db': uri('postgresql') } }],
  ['serviceAccountAnnotations: URI with a password', { serviceAccountAnnotations: { 'example.com/db': uri('postgresql') } }],
  ['ingress.annotations: auth URL with a password', { ingress: { hosts: ['mlflow.example.com'], annotations: { 'nginx.ingress.kubernetes.io/auth-url': `https://admin:${CANARY}@auth.example.com/check` } } }],
  ['service: load balancer annotation with a password', { service: ServiceExposure.loadBalancer({ annotations: { 'example.com/endpoint': uri('https') } }) }],
  ['corsOrigins: origin with a password', { corsOrigins: [`https://admin:${CANARY}@notebooks.example.com`] }],
  ['allowedHosts: host with a password', { allowedHosts: [`admin:${CANARY}@mlflow.example.com`] }],
  ['secretEnv: the canary as a Secret key name is only a reference', { secretEnv: { EXTRA: SecretKey.fromExisting('extra', 'k') } }],
];

function leaks(text: string): boolean {
  return encodings(CANARY).some(form => text.includes(form));
}

test.each(misuses)('%s: refused or absent from the output', (_name, props) => {
  let objects: any[] | undefined;
  try {
    objects = synthMlflow(props, Testing.app());
  } catch (e) {
    expect(e).toBeInstanceOf(MlflowConfigError);
    expect(leaks((e as Error).message)).toBe(false);
    return;
  }
  const violations = checkManifests(objects, { ...SUITE_OPTIONS, canaries: [CANARY] }).filter(v => v.rule === 18);
  expect(formatViolations(violations)).toBe('');
  expect(leaks(JSON.stringify(objects))).toBe(false);
});

test('every credential reference at once: only Secret names and keys appear, never a value', () => {
  const objects = synthMlflow({
    secretEnv: { MLFLOW_FLASK_SERVER_SECRET_KEY: SecretKey.fromExisting('mlflow-flask', 'secret-key') },
    envFromSecrets: [SecretSource.existing('mlflow-extra')],
    imagePullSecrets: ['registry-creds'],
    ingress: { hosts: ['mlflow.example.com'], tlsSecretName: 'mlflow-cert' },
  }, Testing.app());
  expect(formatViolations(checkManifests(objects, { ...SUITE_OPTIONS, canaries: [CANARY] }))).toBe('');
  expect(objects.filter(o => o.kind === 'Secret')).toEqual([]);
});

test('the canary detector itself finds plain and base64 forms (so the tests above can fail)', () => {
  expect(leaks(`x${CANARY}y`)).toBe(true);
  for (const pre of ['', 'a', 'ab', 'abc']) expect(leaks(Buffer.from(`${pre}${CANARY}tail`).toString('base64'))).toBe(true);
  expect(leaks(encodeURIComponent(`:${CANARY}@`))).toBe(true);
  expect(leaks('nothing to see')).toBe(false);
});

describe('credential detection and masking in src (used by validation and error messages)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { hasEmbeddedCredential, maskCredentials } = require('../src/common/credentials');
  test.each([
    ['postgresql://u:p@h/db', true],
    ['--db-password=x', true],
    ['postgresql+psycopg2://mlflow@db:5432/mlflow', false],
    ['s3://bucket/prefix', false],
    ['10.*,localhost:*', false],
    ['--password', false],
  ])('%s embeds a credential: %s', (value, expected) => { expect(hasEmbeddedCredential(value)).toBe(expected); });
  test('masks user:password@ with or without scheme, and --x-password=', () => {
    expect(maskCredentials('["postgresql://u:secret@h/db","--db-password=secret","u:secret@host"]')).toBe('["postgresql://u:***@h/db","--db-password=***","u:***@host"]');
  });
});
