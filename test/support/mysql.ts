import { randomBytes } from 'node:crypto';

import { createConnection } from 'mysql2/promise';

/** The MariaDB/MySQL server tests use: MYSQL_URL, default the local root account. */
export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

function serverUrl(): URL {
  return new URL(MYSQL_URL.replace(/^mysql(\+\w+)?:/, 'mysql:'));
}

async function admin() {
  const url = serverUrl();
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
}

/** Creates an empty database and returns its backend store URI and a function dropping it. */
export async function createScratchDatabase(
  prefix: string,
): Promise<{ uri: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const connection = await admin();
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await connection.end();
  }
  const url = serverUrl();
  url.pathname = `/${name}`;
  return {
    uri: url.toString(),
    drop: async () => {
      const c = await admin();
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

/** Fails loudly when the server is not there: in CI a missing database is a failure, not a skip. */
export async function assertMysqlReachable(): Promise<void> {
  try {
    const connection = await admin();
    await connection.query('SELECT 1');
    await connection.end();
  } catch (error) {
    throw new Error(
      `MariaDB/MySQL is not reachable at ${MYSQL_URL.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}. ` +
        'Start it (start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) or set MYSQL_URL.',
    );
  }
}
