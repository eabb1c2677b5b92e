import { API, Client } from './client';

/** next_page_token from a response text without parsing it (it is the last key MLflow writes). */
export function pageToken(text: string): string | undefined {
  const at = text.lastIndexOf('"next_page_token"');
  if (at < 0) return undefined;
  const m = /^"next_page_token"\s*:\s*"([^"]*)"/.exec(text.slice(at));
  return m?.[1] || undefined;
}

/** runs/search as `client.search_runs` sends it, following pages; returns the raw page texts. */
export async function searchAllPages(
  client: Client,
  body: { experiment_ids: string[]; filter: string; max_results: number; order_by: string[] },
  options: { maxPages: number; firstPageOnly?: boolean },
): Promise<string[]> {
  const texts: string[] = [];
  let token: string | undefined;
  do {
    const json = JSON.stringify({
      experiment_ids: body.experiment_ids,
      run_view_type: 'ACTIVE_ONLY',
      filter: body.filter,
      max_results: body.max_results,
      order_by: body.order_by,
      ...(token ? { page_token: token } : {}),
    });
    const text = await client.postText(`${API}/runs/search`, json);
    texts.push(text);
    if (options.firstPageOnly) return texts;
    token = pageToken(text);
  } while (token && texts.length < options.maxPages);
  if (token) throw new Error(`runs/search still had pages after ${options.maxPages}`);
  return texts;
}

/** get-history as `client.get_metric_history` sends it, following pages; raw page texts. */
export async function historyAllPages(
  client: Client,
  runId: string,
  key: string,
  maxPages: number,
): Promise<string[]> {
  const texts: string[] = [];
  let token: string | undefined;
  do {
    const q =
      `run_uuid=${runId}&metric_key=${encodeURIComponent(key)}&run_id=${runId}&max_results=25000` +
      (token ? `&page_token=${encodeURIComponent(token)}` : '');
    const text = await client.getText(`${API}/metrics/get-history?${q}`);
    texts.push(text);
    token = pageToken(text);
  } while (token && texts.length < maxPages);
  if (token) throw new Error(`get-history still had pages after ${maxPages}`);
  return texts;
}
