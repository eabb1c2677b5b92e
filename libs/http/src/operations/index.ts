export * from './operations.module';
export * from './operations-options';
export * from './service-metrics';
