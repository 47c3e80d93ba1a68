/** How artifacts reach MLflow clients. */
export enum ArtifactServing {
  /**
   * The server proxies artifacts (`--serve-artifacts --artifacts-destination s3://...`):
   * clients use `mlflow-artifacts:/` URIs and need no storage credentials. Uploads and
   * downloads stream through the server pods (size `tmpSize` and the ephemeral-storage limit).
   */
  PROXIED = 'proxied',
  /**
   * Clients talk to the store themselves (`--no-serve-artifacts --default-artifact-root s3://...`):
   * every client needs network access to the store and its own credentials
   * (see `MlflowServer.clientArtifactEnv`).
   */
  DIRECT = 'direct',
}
