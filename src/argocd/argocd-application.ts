import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from '../common/errors';
import { MANAGED_BY, PART_OF } from '../common/labels';
import { checkDnsLabel, checkDnsSubdomain, checkUrl } from '../common/validate';

/** Props of {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps {
  /** Application name (DNS-1123 subdomain). */
  readonly name: string;
  /** Git repository holding the committed dist/ (https or ssh URL). */
  readonly repoUrl: string;
  /** Folder of the synthesized deployment inside the repository, e.g. `dist/minio`. */
  readonly path: string;
  /** Namespace the deployment lives in (the folder renders it). */
  readonly destinationNamespace: string;
  /**
   * Branch, tag or commit to follow.
   * @default 'main'
   */
  readonly targetRevision?: string;
  /**
   * Argo CD project.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * Namespace Argo CD runs in (where Applications live).
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
  /**
   * Target cluster API server.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
  /**
   * Sync automatically, pruning what was removed from git and reverting drift.
   * PVCs are never pruned: the manifests carry Prune=false,Delete=false.
   * @default true
   */
  readonly automated?: boolean;
}

/**
 * An Argo CD `Application` (argoproj.io/v1alpha1) that syncs one dist/ folder as a plain
 * directory app. Render it in its own chart so the deployment folders stay pure.
 */
export class ArgoCdApplication extends Construct {
  /** The Application object. */
  public readonly application: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    checkDnsSubdomain(this, 'name', props.name);
    checkDnsLabel(this, 'destinationNamespace', props.destinationNamespace);
    const argoNamespace = checkDnsLabel(this, 'argoNamespace', props.argoNamespace ?? 'argocd');
    if (!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(props.repoUrl ?? '') || /\/\/[^/@]+:[^/@]+@/.test(props.repoUrl)) {
      invalid(this, 'repoUrl', props.repoUrl, 'must be an https://, ssh:// or git@ repository URL without embedded credentials (Argo CD repository credentials live in its own Secrets)');
    }
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(props.path ?? '') || props.path.split('/').includes('..')) {
      invalid(this, 'path', props.path, "must be a relative folder inside the repository such as 'dist/minio'");
    }
    const server = props.destinationServer ?? 'https://kubernetes.default.svc';
    checkUrl(this, 'destinationServer', server, ['https']);
    this.application = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: argoNamespace,
        labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': MANAGED_BY },
        // deleting the Application deletes what it deployed (PVCs excepted, see their sync options)
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: props.project ?? 'default',
        source: {
          repoURL: props.repoUrl,
          targetRevision: props.targetRevision ?? 'main',
          path: props.path,
          directory: { recurse: false },
        },
        destination: { server, namespace: props.destinationNamespace },
        syncPolicy: {
          ...((props.automated ?? true) ? { automated: { prune: true, selfHeal: true } } : {}),
          syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true'],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
      },
    });
  }
}
