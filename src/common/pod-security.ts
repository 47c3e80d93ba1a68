import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkInt } from './validate';

/** The identity a pod runs as. Every ID must be ≥ 10000 (kube-score, kube-linter). */
export interface PodIdentity {
  /**
   * UID of every container.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * GID of every container.
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes.
   * @default 10001
   */
  readonly fsGroup?: number;
}

const MIN_ID = 10000;

/** Pod-level securityContext meeting Pod Security Standards *restricted*. */
export function restrictedPodSecurityContext(scope: IConstruct, prop: string, id: PodIdentity = {}, defaultId = 10001): k8s.PodSecurityContext {
  const runAsUser = checkInt(scope, `${prop}.runAsUser`, id.runAsUser ?? defaultId, MIN_ID, 2147483647);
  const runAsGroup = checkInt(scope, `${prop}.runAsGroup`, id.runAsGroup ?? defaultId, MIN_ID, 2147483647);
  const fsGroup = checkInt(scope, `${prop}.fsGroup`, id.fsGroup ?? runAsGroup, MIN_ID, 2147483647);
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup,
    fsGroup,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level securityContext: no privilege, no capability, read-only root. */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
