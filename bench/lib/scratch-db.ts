import { randomBytes } from 'node:crypto';

import { createConnection, createPool, Pool } from 'mysql2/promise';

/** The MariaDB/MySQL server the harness creates its scratch database on (as the tests do). */
export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

function serverUrl(): URL {
  return new URL(MYSQL_URL.replace(/^mysql(\+\w+)?:/, 'mysql:'));
}

function connectionOptions(database?: string) {
  const url = serverUrl();
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    ...(database ? { database } : {}),
  };
}

export interface ScratchDb {
  name: string;
  /** Backend store URI for the suite. */
  uri: string;
  /** A mysql2 pool on the scratch database (for the reference workload and verification). */
  pool(connections: number): Pool;
  drop(): Promise<void>;
}

export async function createScratchDb(prefix = 'bench'): Promise<ScratchDb> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection(connectionOptions());
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = serverUrl();
  url.pathname = `/${name}`;
  const pools: Pool[] = [];
  let dropped = false;
  return {
    name,
    uri: url.toString(),
    pool: (connections: number) => {
      const pool = createPool({
        ...connectionOptions(name),
        connectionLimit: connections,
        charset: 'utf8mb4_bin',
        supportBigNumbers: true,
      });
      pools.push(pool);
      return pool;
    },
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      const c = await createConnection(connectionOptions());
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
