import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';

import { MlflowError } from '@app/domain';

import { formatFieldMessage } from './mlflow-field.decorator';
import { VALIDATED_DTOS } from './mlflow-request.decorator';

/**
 * ValidationPipe with MLflow's leniency (unknown fields dropped, not refused: clients send legacy
 * fields) and MLflow's messages: the first failing field, in declaration order, becomes
 * INVALID_PARAMETER_VALUE.
 */
@Injectable()
export class MlflowValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: false,
      validateCustomDecorators: true,
      exceptionFactory: (errors: ValidationError[]) => toMlflowError(errors),
    });
  }

  /** A request the access guard already validated is passed through as is. */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value === 'object' && value !== null && VALIDATED_DTOS.has(value)) {
      return Promise.resolve(value);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function toMlflowError(errors: ValidationError[], parentPath = ''): MlflowError {
  for (const error of errors) {
    const path = parentPath
      ? /^\d+$/.test(error.property)
        ? `${parentPath}[${error.property}]`
        : `${parentPath}.${error.property}`
      : error.property;
    const message = error.constraints ? Object.values(error.constraints)[0] : undefined;
    if (message) return MlflowError.invalidParameterValue(formatFieldMessage(message, path));
    if (error.children?.length) return toMlflowError(error.children, path);
  }
  return MlflowError.invalidParameterValue('Invalid request.');
}
