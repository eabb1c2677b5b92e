import { LRUCache } from 'lru-cache';

import { ArtifactPartitions, ownerPartition } from '@app/domain';

import { SqlExecutor } from '../sql-executor';
import { num } from './sql-helpers';

const EXPERIMENT_ID = /^(0|[1-9]\d{0,9})$/;

/**
 * Reads the owner of an experiment once: it is written with the experiment and never changes,
 * so the answer is cached for good (an LRU bounds the memory), and artifact calls pay no lookup
 * after the first.
 */
export class SqlArtifactPartitions extends ArtifactPartitions {
  private readonly known = new LRUCache<string, { partition: string | null }>({ max: 50_000 });

  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async partitionOf(experimentId: string): Promise<string | null> {
    if (!EXPERIMENT_ID.test(experimentId)) return null;
    const cached = this.known.get(experimentId);
    if (cached) return cached.partition;
    const rows = await this.sql.select('SELECT owner_id FROM experiments WHERE experiment_id = ?', [
      Number(experimentId),
    ]);
    // An experiment that does not exist (yet) is not cached: it may be created in a moment.
    if (rows.length === 0) return null;
    const ownerId = rows[0].owner_id;
    const partition =
      ownerId === null || ownerId === undefined ? null : ownerPartition(num(ownerId));
    this.known.set(experimentId, { partition });
    return partition;
  }
}
