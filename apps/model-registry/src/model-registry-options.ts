/** Settings of the model registry, provided by whichever app mounts ModelRegistryModule. */
export abstract class ModelRegistryOptions {
  /**
   * Sources of new model versions must match it (`RegExp.test`, i.e. Python's `re.search`), on top
   * of the built-in checks: MLflow's MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX.
   */
  abstract readonly modelVersionSourceRegex: RegExp | null;
}
