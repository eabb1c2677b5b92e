import { loadEnv } from '@app/config';

import { ModelRegistryEnv } from './env';

describe(ModelRegistryEnv.name, () => {
  it('listens on 5002 by default and has no source restriction', () => {
    const env = loadEnv(ModelRegistryEnv, {});
    expect(env.PORT).toBe(5002);
    expect(env.MODEL_VERSION_SOURCE_REGEX).toBeUndefined();
  });

  it('accepts a valid MODEL_VERSION_SOURCE_REGEX and refuses one that does not compile', () => {
    expect(
      loadEnv(ModelRegistryEnv, { MODEL_VERSION_SOURCE_REGEX: '^mlflow-artifacts:/' })
        .MODEL_VERSION_SOURCE_REGEX,
    ).toBe('^mlflow-artifacts:/');
    expect(() => loadEnv(ModelRegistryEnv, { MODEL_VERSION_SOURCE_REGEX: '([' })).toThrow(
      /MODEL_VERSION_SOURCE_REGEX must be a valid regular expression/,
    );
  });
});
