import { AsyncLocalStorage } from 'node:async_hooks';

import type { ArtifactProxySettings, ArtifactStoreSettings } from '@app/config';

const CALLER_AUTHORIZATION = new AsyncLocalStorage<{ header: string | undefined }>();

/**
 * Runs the rest of a request's handling with its `Authorization` header at hand, so a store that
 * calls another service on the caller's behalf (the artifact proxy) can pass the caller on.
 */
export function withCallerAuthorization(header: string | undefined, next: () => void): void {
  CALLER_AUTHORIZATION.run({ header }, next);
}

/** The `Authorization` header of the request being handled; undefined outside a request. */
export function callerAuthorization(): string | undefined {
  return CALLER_AUTHORIZATION.getStore()?.header;
}

/** The service's artifact settings with the caller's identity wired into proxy calls. */
export function forwardingCaller(
  settings: ArtifactStoreSettings,
):
  | { destination: string }
  | { proxy: ArtifactProxySettings & { callerAuthorization: () => string | undefined } } {
  if (settings.proxy === undefined) return { destination: settings.destination };
  return { proxy: { ...settings.proxy, callerAuthorization } };
}
