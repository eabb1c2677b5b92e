/** `<root>/<segments…>` for artifact URIs such as `mlflow-artifacts:/` or `mlflow-artifacts://host:5000/`. */
export function joinArtifactRoot(root: string, ...segments: string[]): string {
  return [root.replace(/\/+$/, ''), ...segments].join('/');
}
