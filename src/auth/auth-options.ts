import { SecretKey } from '../secrets/secret-source';

/** MLflow basic-auth permissions (`default_permission`). */
export enum AuthPermission {
  /** Read only. */
  READ = 'READ',
  /** Read and update. */
  EDIT = 'EDIT',
  /** Read, update, delete and manage permissions. */
  MANAGE = 'MANAGE',
  /** Nothing unless granted. */
  NO_PERMISSIONS = 'NO_PERMISSIONS',
}

/**
 * MLflow's built-in authentication (`mlflow server --app-name basic-auth`). Every credential comes
 * from a Secret; the auth INI is written at start-up into a memory emptyDir, never into a ConfigMap.
 */
export interface MlflowAuthOptions {
  /** The admin user name. */
  readonly adminUsername: SecretKey;
  /** The admin password (must not be MLflow's public default `password1234`). */
  readonly adminPassword: SecretKey;
  /**
   * Flask session signing key (MLFLOW_FLASK_SERVER_SECRET_KEY): one Secret, so every replica
   * signs and checks sessions alike. `SecretSource.generatedPassword(...)` is a good source.
   */
  readonly flaskSecretKey: SecretKey;
  /**
   * Permission of every user on resources they were not granted anything on.
   * @default AuthPermission.READ
   */
  readonly defaultPermission?: AuthPermission;
  /**
   * Name of the auth database on the tracking PostgreSQL server, when the backend store is reached
   * through libpq `PG*` variables (the URI becomes `postgresql+psycopg2:///<database>`, no credential).
   * It must exist (e.g. `extraDatabases: ['mlflow_auth']` on the backend store) and differ from the
   * tracking database. MLflow creates its tables on start-up.
   * @default 'mlflow_auth'
   */
  readonly database?: string;
  /**
   * A Secret key holding the whole auth database URI (a separate PostgreSQL database). Required
   * when the backend store URI itself comes from a Secret.
   * @default derived from the backend's PG* variables (see `database`)
   */
  readonly databaseUri?: SecretKey;
  /**
   * `module:function` that authenticates requests.
   * @default 'mlflow.server.auth:authenticate_request_basic_auth'
   */
  readonly authorizationFunction?: string;
}
