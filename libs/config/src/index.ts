export * from './auth-settings';
export * from './http-settings';
export * from './is-regular-expression';
export * from './load-env';
export * from './operations-settings';
export * from './server-env';
export * from './store-settings';
export * from './web-ui-settings';
