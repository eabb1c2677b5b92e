export * from './access.decorator';
export * from './access.guard';
export * from './access.module';
export * from './access-checker';
export * from './audit';
export * from './authenticator';
export * from './caller.decorator';
export * from './credentials';
