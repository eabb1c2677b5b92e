export * from './artifact-store-registry';
export * from './connection-pool';
export * from './ftp-artifact-store';
export * from './local-artifact-store';
export * from './redact-uri';
export * from './sftp-artifact-store';
export * from './artifact-store.module';
