/** Soft-delete state shared by experiments (FLOps projects) and runs (training rounds). */
export type LifecycleStage = 'active' | 'deleted';

/** Which lifecycle stages a search covers (MLflow `ViewType`). */
export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

export function lifecycleStagesFor(viewType: ViewType): LifecycleStage[] {
  switch (viewType) {
    case 'ACTIVE_ONLY':
      return ['active'];
    case 'DELETED_ONLY':
      return ['deleted'];
    case 'ALL':
      return ['active', 'deleted'];
  }
}

export interface KeyValue {
  key: string;
  value: string;
}

/** A page of results and the opaque token of the next page, absent on the last page. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}
