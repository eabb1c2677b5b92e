import { MlflowError } from '../errors';
import { FlopsProject, PROJECT_STATES, ProjectState } from './project-view';

export const PROJECT_ORDER_FIELDS = [
  'project_id',
  'experiment_id',
  'creation_time',
  'last_activity_time',
  'rounds',
] as const;
export type ProjectOrderField = (typeof PROJECT_ORDER_FIELDS)[number];

export interface ProjectOrder {
  field: ProjectOrderField;
  ascending: boolean;
}

/** Newest projects first; experiment id breaks every tie. */
export const DEFAULT_PROJECT_ORDER: ProjectOrder = { field: 'creation_time', ascending: false };

/** `<field> [ASC|DESC]`; INVALID_PARAMETER_VALUE listing the fields. */
export function parseProjectOrder(text: string | undefined): ProjectOrder {
  if (text === undefined || text === '') return DEFAULT_PROJECT_ORDER;
  const match = /^\s*(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(text);
  const field = match?.[1].toLowerCase();
  if (!match || !(PROJECT_ORDER_FIELDS as readonly string[]).includes(field ?? '')) {
    throw MlflowError.invalidParameterValue(
      `Invalid order_by '${text}': expected '<field> [ASC|DESC]' with a field among ${PROJECT_ORDER_FIELDS.join(', ')}.`,
    );
  }
  return {
    field: field as ProjectOrderField,
    ascending: (match[2] ?? 'ASC').toUpperCase() === 'ASC',
  };
}

export function parseProjectState(text: string | undefined): ProjectState | undefined {
  if (text === undefined || text === '') return undefined;
  if (!(PROJECT_STATES as readonly string[]).includes(text)) {
    throw MlflowError.invalidParameterValue(
      `Invalid state '${text}': expected one of ${PROJECT_STATES.join(', ')}.`,
    );
  }
  return text as ProjectState;
}

function sortValue(project: FlopsProject, field: ProjectOrderField): string | number {
  switch (field) {
    case 'project_id':
      return project.projectId;
    case 'experiment_id':
      return Number(project.experimentId);
    case 'creation_time':
      return project.creationTime;
    case 'last_activity_time':
      return project.lastActivityTime;
    case 'rounds':
      return project.rounds.length;
  }
}

/** Filtered by state, then ordered; experiment id (ascending) breaks ties. */
export function orderProjects(
  projects: readonly FlopsProject[],
  order: ProjectOrder,
  state?: ProjectState,
): FlopsProject[] {
  const kept = state ? projects.filter((p) => p.state === state) : [...projects];
  const direction = order.ascending ? 1 : -1;
  return kept.sort((a, b) => {
    const va = sortValue(a, order.field);
    const vb = sortValue(b, order.field);
    if (va !== vb) return (va < vb ? -1 : 1) * direction;
    return Number(a.experimentId) - Number(b.experimentId);
  });
}
