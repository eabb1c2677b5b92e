export * from './error-code';
export * from './mlflow-error';
export * from './not-found';
