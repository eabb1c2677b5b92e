import TestAgent from 'supertest/lib/agent';

import {
  AggregatorHttp,
  AggregatorReplay,
  AggregatorReplayOptions,
  replayAggregatorOver,
} from '../../bench/lib/flops-aggregator';

export {
  type AggregatorReplay,
  type AggregatorReplayOptions,
  MODEL_FILES,
  STRATEGY_PARAMS,
  SYSTEM_METRICS,
} from '../../bench/lib/flops-aggregator';

/** supertest as the aggregator's transport, with an optional Authorization on every request. */
function overSupertest(http: TestAgent, authorization?: string): AggregatorHttp {
  return {
    send: async ({ method, path, query, json, raw }) => {
      let req =
        method === 'GET' ? http.get(path) : method === 'POST' ? http.post(path) : http.put(path);
      if (authorization) req = req.set('Authorization', authorization);
      if (query) req = req.query(query);
      const res =
        raw !== undefined
          ? await req.set('Content-Type', 'application/octet-stream').send(raw)
          : json !== undefined
            ? await req.set('Content-Type', 'application/json').send(JSON.stringify(json))
            : await req;
      return { status: res.status, body: res.body as unknown };
    },
  };
}

/**
 * Replays an unmodified FLOps aggregator's requests for one project (reference §2.1) against a
 * test app; `authorization` is sent with every request (absent with AUTH_MODE=none).
 */
export function replayAggregator(
  http: TestAgent,
  options: AggregatorReplayOptions & { authorization?: string },
): Promise<AggregatorReplay> {
  return replayAggregatorOver(overSupertest(http, options.authorization), options);
}
