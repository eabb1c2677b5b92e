export * from './persistence.module';
export * from './data-source';
export * from './backend-store-uri';
export * from './sql-executor';
export * from './schema-guard';
