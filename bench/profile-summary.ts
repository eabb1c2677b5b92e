/**
 * Summarises a V8 .cpuprofile (from `--suite-node-args "--cpu-prof --cpu-prof-dir=DIR"`): self time
 * by layer (npm package, our code by folder, node internals, GC) and the top functions.
 *
 *   node dist/bench/profile-summary.js DIR/CPU.*.cpuprofile [--top 40]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function layer(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /dist\/apps\/[^/]+\/((?:apps|libs)\/[^/]+\/src\/[^/]+)/.exec(url);
  if (ours) return ours[1].replace(/\.js$/, '');
  return url;
}

function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: profile-summary <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  const topArg = process.argv.indexOf('--top');
  const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 40;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  let total = 0;
  const layers = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += us;
    const { functionName, url, lineNumber } = n.callFrame;
    const l = layer(url, functionName);
    layers.set(l, (layers.get(l) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${l}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${layer(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n || n.callFrame.functionName === '(root)') continue;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const idle = layers.get('(idle)') ?? 0;
  const busy = total - idle;
  const pct = (us: number) => ((100 * us) / busy).toFixed(1).padStart(5);
  console.log(
    `profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`,
  );
  console.log('\nself time by layer (% of busy):');
  for (const [l, us] of [...layers]
    .filter(([l]) => l !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)) {
    console.log(`${pct(us)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${l}`);
  }
  console.log(`\ntop ${top} functions by inclusive time (% of busy), our code and drivers only:`);
  for (const [f, us] of [...inclusive]
    .filter(([f]) =>
      / (apps|libs)\/|mysql2|typeorm|fastify|@nestjs|class-(validator|transformer)/.test(f),
    )
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    console.log(`${pct(us)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${f}`);
  }
  console.log(`\ntop ${top} functions by self time (% of busy):`);
  for (const [f, us] of [...fns]
    .filter(([f]) => !f.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    console.log(`${pct(us)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${f}`);
  }
}

main();
