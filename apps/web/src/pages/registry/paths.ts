/** The registry pages' URLs; a model name may hold any character, so it is encoded. */
export const modelPath = (name: string) => `/models/${encodeURIComponent(name)}`;

export const versionPath = (name: string, version: string) =>
  `${modelPath(name)}/versions/${encodeURIComponent(version)}`;

export const runPath = (experimentId: string, runId: string) =>
  `/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;

export const projectPath = (experimentId: string) =>
  `/projects/${encodeURIComponent(experimentId)}`;

export const roundPath = (experimentId: string, round: number) =>
  `${projectPath(experimentId)}/rounds/${round}`;
