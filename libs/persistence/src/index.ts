export * from './backend-store-uri';
export * from './data-source';
export * from './persistence.module';
export * from './schema-guard';
export * from './sql-executor';
