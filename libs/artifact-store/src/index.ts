export * from './artifact-store.module';
export * from './artifact-store-registry';
export * from './connection-pool';
export * from './ftp-artifact-store';
export * from './local-artifact-store';
export * from './proxy-artifact-store';
export * from './scrub-secrets';
export * from './sftp-artifact-store';
