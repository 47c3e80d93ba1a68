import { Testing } from 'cdk8s';
import { baseProps, envMap, one, serverContainer, synthMlflow } from './helpers/synth';
import { ArtifactServing, ArtifactStore, MlflowChart, MlflowChartProps, NetworkModel, NetworkPeer, S3Credentials, S3Encryption, SecretSource } from '../src';

const ROLE = 'arn:aws:iam::123456789012:role/mlflow-artifacts';
const AWS_KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

function chart(overrides: Partial<MlflowChartProps>): MlflowChart {
  return new MlflowChart(Testing.app(), 'test', baseProps(overrides));
}

/** Every env entry of every container (init too) of every pod template in the output. */
function allEnv(objects: any[]): any[] {
  const pods = objects.map(o => o.spec?.template?.spec).filter(Boolean);
  return pods.flatMap((p: any) => [...(p.containers ?? []), ...(p.initContainers ?? [])]).flatMap((c: any) => c.env ?? []);
}

describe('ArtifactStore.s3 with IRSA', () => {
  const objects = synthMlflow({
    artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', prefix: 'artifacts', region: 'eu-central-1', credentials: S3Credentials.irsa(ROLE) }),
  });
  const c = serverContainer(objects);

  test('matches its snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('annotates the server ServiceAccount with the role', () => {
    expect(one(objects, 'ServiceAccount', 'mlflow').metadata.annotations['eks.amazonaws.com/role-arn']).toBe(ROLE);
  });

  test('injects no AWS key at all, anywhere', () => {
    const names = allEnv(objects).map(e => e.name);
    for (const k of AWS_KEY_ENV) expect(names).not.toContain(k);
    expect(JSON.stringify(objects)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
    expect(objects.some(o => (o.spec?.template?.spec?.containers ?? []).some((k: any) => k.envFrom))).toBe(false);
  });

  test('has no endpoint URL (boto3 resolves the regional AWS endpoint)', () => {
    expect(JSON.stringify(objects)).not.toContain('MLFLOW_S3_ENDPOINT_URL');
    expect(envMap(c).MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE).toBeUndefined();
  });

  test('proxies artifacts to s3://bucket/prefix and sets the region', () => {
    expect(c.args).toEqual(expect.arrayContaining(['--serve-artifacts', '--artifacts-destination', 's3://team-mlflow/artifacts']));
    expect(c.args).not.toContain('--default-artifact-root');
    expect(envMap(c).AWS_DEFAULT_REGION).toBe('eu-central-1');
  });
});

describe('ArtifactStore.s3 with keys from the s3-credentials Secret', () => {
  const store = ArtifactStore.s3({
    bucket: 'team-mlflow',
    credentials: S3Credentials.fromSecret(SecretSource.existing('s3-credentials'), { regionKey: 'AWS_REGION' }),
  });
  const objects = synthMlflow({ artifactStore: store });
  const env = envMap(serverContainer(objects));

  test('matches its snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('reads the default key names and the region through secretKeyRef', () => {
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 's3-credentials', key: 'AWS_ACCESS_KEY_ID' } });
    expect(env.AWS_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 's3-credentials', key: 'AWS_SECRET_ACCESS_KEY' } });
    expect(env.AWS_DEFAULT_REGION).toEqual({ secretKeyRef: { name: 's3-credentials', key: 'AWS_REGION' } });
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBeUndefined();
  });

  test('no IRSA annotation, no Secret object rendered', () => {
    expect(one(objects, 'ServiceAccount', 'mlflow').metadata.annotations ?? {}).not.toHaveProperty(['eks.amazonaws.com/role-arn']);
    expect(objects.filter(o => o.kind === 'Secret')).toHaveLength(0);
  });

  test('custom key names and a session token', () => {
    const e = envMap(serverContainer(synthMlflow({
      artifactStore: ArtifactStore.s3({
        bucket: 'team-mlflow',
        region: 'us-east-1',
        credentials: S3Credentials.fromSecret(SecretSource.existing('aws'), { accessKeyIdKey: 'id', secretAccessKeyKey: 'secret', sessionTokenKey: 'token' }),
      }),
    })));
    expect(e.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 'aws', key: 'id' } });
    expect(e.AWS_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'aws', key: 'secret' } });
    expect(e.AWS_SESSION_TOKEN).toEqual({ secretKeyRef: { name: 'aws', key: 'token' } });
    expect(e.AWS_DEFAULT_REGION).toBe('us-east-1');
  });
});

describe('ArtifactStore.s3 defaults and options', () => {
  test('without credentials: nothing injected, egress to the metadata service and the Pod Identity agent', () => {
    const c = chart({ artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow' }) });
    const names = allEnv(Testing.synth(c)).map(e => e.name);
    for (const k of AWS_KEY_ENV) expect(names).not.toContain(k);
    const peers = c.server.artifacts.egress.map(r => ({ peer: r.peer.toPeer(), ports: r.ports }));
    expect(peers).toContainEqual({ peer: { ipBlock: { cidr: '169.254.169.254/32' } }, ports: [{ port: 80 }] });
    expect(peers).toContainEqual({ peer: { ipBlock: { cidr: '169.254.170.23/32' } }, ports: [{ port: 80 }] });
  });

  test('egress: HTTPS to public addresses only by default, declared in the NetworkModel', () => {
    const c = chart({ artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.irsa(ROLE) }) });
    expect(c.server.artifacts.egress.map(r => ({ peer: r.peer.toPeer(), ports: r.ports }))).toEqual([
      { peer: { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }, ports: [{ port: 443 }] },
    ]);
    const traffic = NetworkModel.of(c).find('mlflow')!;
    expect(traffic.egress.map(r => r.peer.toPeer())).toContainEqual({ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } });
  });

  test('egress peers are configurable (e.g. VPC endpoints)', () => {
    const c = chart({ artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.irsa(ROLE), egressPeers: [NetworkPeer.ipBlock('10.0.128.0/24')] }) });
    expect(c.server.artifacts.egress.map(r => r.peer.toPeer())).toEqual([{ ipBlock: { cidr: '10.0.128.0/24' } }]);
  });

  test('SSE-KMS through MLFLOW_S3_UPLOAD_EXTRA_ARGS', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const env = envMap(serverContainer(synthMlflow({
      artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.irsa(ROLE), encryption: S3Encryption.kms({ keyId: key, bucketKey: true }) }),
    })));
    expect(JSON.parse(env.MLFLOW_S3_UPLOAD_EXTRA_ARGS)).toEqual({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key, BucketKeyEnabled: true });
  });

  test('SSE-S3 and SSE-KMS with the AWS managed key', () => {
    const env1 = envMap(serverContainer(synthMlflow({ artifactStore: ArtifactStore.s3({ bucket: 'b-1x', encryption: S3Encryption.s3Managed() }) })));
    expect(env1.MLFLOW_S3_UPLOAD_EXTRA_ARGS).toBe('{"ServerSideEncryption":"AES256"}');
    const env2 = envMap(serverContainer(synthMlflow({ artifactStore: ArtifactStore.s3({ bucket: 'b-1x', encryption: S3Encryption.kms() }) })));
    expect(env2.MLFLOW_S3_UPLOAD_EXTRA_ARGS).toBe('{"ServerSideEncryption":"aws:kms"}');
  });

  test('direct serving: --no-serve-artifacts --default-artifact-root, and the client env', () => {
    const c = chart({
      artifactServing: ArtifactServing.DIRECT,
      artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', prefix: 'a', region: 'eu-west-1', credentials: S3Credentials.fromSecret(SecretSource.existing('s3-credentials')) }),
    });
    const k = serverContainer(Testing.synth(c));
    expect(k.args).toEqual(expect.arrayContaining(['--no-serve-artifacts', '--default-artifact-root', 's3://team-mlflow/a']));
    expect(k.args).not.toContain('--serve-artifacts');
    expect(k.args).not.toContain('--artifacts-destination');
    expect(c.server.clientArtifactEnv.map(e => e.name)).toEqual(['AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  });

  test('proxied serving needs no client env', () => {
    const c = chart({ artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.fromSecret(SecretSource.existing('s3-credentials')) }) });
    expect(c.server.artifactServing).toBe(ArtifactServing.PROXIED);
    expect(c.server.clientArtifactEnv).toEqual([]);
  });
});

describe('ArtifactStore.s3 rejects bad input at synth', () => {
  const cases: Array<[string, Partial<MlflowChartProps>, RegExp]> = [
    ['upper-case bucket', { artifactStore: ArtifactStore.s3({ bucket: 'My_Bucket' }) }, /invalid artifactStore\.bucket "My_Bucket": must be an S3 bucket name/],
    ['bucket too short', { artifactStore: ArtifactStore.s3({ bucket: 'ab' }) }, /invalid artifactStore\.bucket "ab"/],
    ['bucket like an IP', { artifactStore: ArtifactStore.s3({ bucket: '192.168.1.1' }) }, /invalid artifactStore\.bucket "192\.168\.1\.1"/],
    ['bucket with ..', { artifactStore: ArtifactStore.s3({ bucket: 'a..b' }) }, /invalid artifactStore\.bucket "a\.\.b"/],
    ['malformed region', { artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', region: 'Europe' }) }, /invalid artifactStore\.region "Europe": must be an AWS region/],
    ['bad prefix', { artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', prefix: 'a b' }) }, /invalid artifactStore\.prefix "a b"/],
    ['bad role ARN', { artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.irsa('arn:aws:iam::123:role/x') }) }, /invalid artifactStore\.credentials\.roleArn "arn:aws:iam::123:role\/x": must be an IAM role ARN/],
    ['user ARN instead of a role', { artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.irsa('arn:aws:iam::123456789012:user/bob') }) }, /invalid artifactStore\.credentials\.roleArn/],
    ['region twice', {
      artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', region: 'eu-west-1', credentials: S3Credentials.fromSecret(SecretSource.existing('s3-credentials'), { regionKey: 'AWS_REGION' }) }),
    }, /invalid artifactStore\.region "eu-west-1": set the region either here or through credentials regionKey/],
    ['bad secret key name', {
      artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.fromSecret(SecretSource.existing('s3-credentials'), { accessKeyIdKey: 'a key' }) }),
    }, /invalid artifactStore\.credentials\.accessKeyIdKey\.key "a key"/],
    ['bad KMS key', { artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', encryption: S3Encryption.kms({ keyId: 'my key' }) }) }, /invalid artifactStore\.encryption\.keyId "my key"/],
    ['bad serving mode', { artifactServing: 'both' as any }, /invalid artifactServing "both"/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(() => synthMlflow(overrides)).toThrow(message);
  });

  test('messages name the construct path', () => {
    expect(() => synthMlflow({ artifactStore: ArtifactStore.s3({ bucket: 'Bad' }) })).toThrow(/^test\/Server: invalid artifactStore\.bucket/);
  });

  test('accepted role ARNs: paths and other partitions', () => {
    for (const arn of ['arn:aws:iam::123456789012:role/team/ml/mlflow', 'arn:aws-cn:iam::123456789012:role/m', 'arn:aws-us-gov:iam::123456789012:role/x+y=z,a.b@c-d_e']) {
      expect(() => synthMlflow({ artifactStore: ArtifactStore.s3({ bucket: 'team-mlflow', credentials: S3Credentials.irsa(arn) }) })).not.toThrow();
    }
  });
});
