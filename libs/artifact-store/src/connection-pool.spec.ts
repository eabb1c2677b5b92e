import {
  ConnectionFactory,
  ConnectionPool,
  Lease,
  PoolClosedError,
  PoolTimeoutError,
} from './connection-pool';

interface FakeConnection {
  id: number;
  closed: boolean;
  healthy: boolean;
}

function fakeFactory() {
  let next = 0;
  const destroyed: number[] = [];
  const factory = {
    failNext: 0,
    create: jest.fn(async (): Promise<FakeConnection> => {
      if (factory.failNext > 0) {
        factory.failNext--;
        throw new Error('refused');
      }
      return { id: ++next, closed: false, healthy: true };
    }),
    destroy: jest.fn(async (c: FakeConnection) => {
      c.closed = true;
      destroyed.push(c.id);
    }),
    isClosed: (c: FakeConnection) => c.closed,
    validate: jest.fn(async (c: FakeConnection) => c.healthy),
  } satisfies ConnectionFactory<FakeConnection> & { failNext: number };
  return { factory, destroyed };
}

const tick = () => new Promise((r) => setImmediate(r));

describe(ConnectionPool.name, () => {
  it('never opens more than maxConnections and serves waiters FIFO', async () => {
    const { factory } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 2 });
    const a = await sut.acquire();
    const b = await sut.acquire();
    const order: string[] = [];
    const c = sut.acquire().then((l) => (order.push('c'), l));
    const d = sut.acquire().then((l) => (order.push('d'), l));
    await tick();
    expect(sut.stats()).toEqual({ max: 2, size: 2, idle: 0, leased: 2, waiting: 2 });

    b.release();
    const leaseC = await c;
    a.release();
    const leaseD = await d;
    expect(order).toEqual(['c', 'd']);
    expect(factory.create).toHaveBeenCalledTimes(2);
    expect(leaseC.reused).toBe(true);
    leaseC.release();
    leaseD.release();
    expect(sut.stats()).toEqual({ max: 2, size: 2, idle: 2, leased: 0, waiting: 0 });
  });

  it('retires a broken connection and replaces it on demand', async () => {
    const { factory, destroyed } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 1 });
    const first = await sut.acquire();
    const id = first.connection.id;
    first.release(true);
    await tick();
    expect(destroyed).toEqual([id]);
    const second = await sut.acquire();
    expect(second.connection.id).not.toBe(id);
    expect(second.reused).toBe(false);
  });

  it('skips connections that closed while idle', async () => {
    const { factory } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 1 });
    const first = await sut.acquire();
    first.release();
    first.connection.closed = true;
    const second = await sut.acquire();
    expect(second.connection.id).toBe(2);
    expect(factory.validate).not.toHaveBeenCalled();
  });

  it('validates connections idle longer than validateAfterIdleMs', async () => {
    const { factory } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 1, validateAfterIdleMs: 0 });
    const first = await sut.acquire();
    first.release();
    first.connection.healthy = false;
    const second = await sut.acquire();
    expect(factory.validate).toHaveBeenCalledTimes(1);
    expect(second.connection.id).toBe(2);
  });

  it('rejects the caller whose connection attempt failed and keeps serving the rest', async () => {
    const { factory } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 1 });
    factory.failNext = 1;
    await expect(sut.acquire()).rejects.toThrow('refused');
    const lease = await sut.acquire();
    expect(lease.connection.id).toBe(1);
  });

  it('times out queued callers', async () => {
    const { factory } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 1, acquireTimeoutMs: 20 });
    await sut.acquire();
    await expect(sut.acquire()).rejects.toBeInstanceOf(PoolTimeoutError);
    expect(sut.stats().waiting).toBe(0);
  });

  it('shares a connection up to maxLeasesPerConnection, after opening new ones', async () => {
    const { factory } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 2, maxLeasesPerConnection: 2 });
    const leases: Lease<FakeConnection>[] = [];
    for (let i = 0; i < 4; i++) leases.push(await sut.acquire());
    expect(leases.map((l) => l.connection.id)).toEqual([1, 2, 1, 2]);
    const fifth = sut.acquire();
    await tick();
    expect(sut.stats().waiting).toBe(1);
    leases[0].release();
    expect((await fifth).connection.id).toBe(1);
  });

  it('drops idle connections on discardIdle', async () => {
    const { factory, destroyed } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 2 });
    const a = await sut.acquire();
    const b = await sut.acquire();
    a.release();
    sut.discardIdle();
    await tick();
    expect(destroyed).toEqual([a.connection.id]);
    b.release();
    expect(sut.stats().size).toBe(1);
  });

  it('close rejects waiters and destroys leased connections once released', async () => {
    const { factory, destroyed } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 2 });
    const a = await sut.acquire();
    const b = await sut.acquire();
    const queued = sut.acquire();
    await tick();
    await sut.close();
    await expect(queued).rejects.toBeInstanceOf(PoolClosedError);
    await expect(sut.acquire()).rejects.toBeInstanceOf(PoolClosedError);
    expect(destroyed).toEqual([]);
    a.release();
    b.release();
    await tick();
    expect(destroyed.sort()).toEqual([1, 2]);
  });

  it('close destroys idle connections at once', async () => {
    const { factory, destroyed } = fakeFactory();
    const sut = new ConnectionPool(factory, { maxConnections: 2 });
    (await sut.acquire()).release();
    await sut.close();
    expect(destroyed).toEqual([1]);
  });
});
