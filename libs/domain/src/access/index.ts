export * from './access-policy';
export * from './credentials';
export * from './identity';
export * from './permissions';
export * from './principal';
