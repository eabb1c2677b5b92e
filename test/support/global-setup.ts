import { assertMysqlReachable } from './mysql';

export default async function globalSetup(): Promise<void> {
  await assertMysqlReachable();
}
