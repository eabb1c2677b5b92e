/** Settings of the artifact proxy, provided by whichever app mounts ArtifactProxyModule. */
export abstract class ArtifactProxyOptions {
  /**
   * An upload that sends no bytes for this long is dropped (slow-loris guard). There is no limit
   * on the total duration of an upload, only on its silences.
   */
  abstract readonly uploadIdleTimeoutMs: number;
}
