export * from './error-code';
export * from './mlflow-error';
