export const WORKLOADS = ['a', 'b', 'c', 'd', 'e', 'g', 'h', 'i'] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface BenchArgs {
  /** Base URL of a running server; when absent the harness starts the suite itself. */
  url?: string;
  /** Pid of the server behind --url, for memory sampling. */
  pid?: number;
  /** Multiplies every count (requests, runs, points); time caps stay. */
  scale: number;
  only: Set<Workload>;
  /** Hard cap on the whole run; workloads not started by then are reported as skipped. */
  maxMinutes: number;
  /** Extra node flags for the suite child process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
  suiteNodeArgs: string[];
  /** Keep the scratch database (for EXPLAIN after the run). */
  keepDb: boolean;
  /** FTP server behind the artifact proxy for (g). */
  ftpUrl: string;
  /** File size for (g), before scaling. */
  artifactBytes: number;
  /** Start the suite with AUTH_MODE=basic and drive it as a signed-in user who is not an admin. */
  auth: boolean;
  /** METRICS_ENABLED of the started suite, to measure what /metrics costs (default on). */
  metrics: boolean;
}

const USAGE = `usage: npm run bench -- [options]
  --url URL              benchmark a running server instead of starting the suite
  --pid PID              with --url: the server's pid, for memory figures
  --scale X              multiply every count by X (default 1; CI smoke: 0.05)
  --only a,b,c,d,e,g,h,i run only these workloads (default: all)
  --max-minutes N        global deadline (default 45)
  --suite-node-args "…"  extra node flags for the suite process (e.g. --cpu-prof)
  --keep-db              do not drop the scratch database at the end
  --ftp-url URL          FTP server for (g) (default ftp://flopsftp:flopsftp@127.0.0.1:2121/artifacts)
  --artifact-mib N       file size for (g) before scaling (default 1024)
  --auth                 AUTH_MODE=basic, every request as a non-admin user (Basic credentials)
  --metrics on|off       METRICS_ENABLED of the started suite (default on): run twice to
                         compare, e.g. --only b --metrics off`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    scale: 1,
    only: new Set(WORKLOADS),
    maxMinutes: 45,
    suiteNodeArgs: [],
    keepDb: false,
    ftpUrl: process.env.BENCH_FTP_URL ?? 'ftp://flopsftp:flopsftp@127.0.0.1:2121/artifacts',
    artifactBytes: 1024 * 1024 * 1024,
    auth: false,
    metrics: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--url':
        args.url = value().replace(/\/+$/, '');
        break;
      case '--pid':
        args.pid = positive(flag, value());
        break;
      case '--scale':
        args.scale = positive(flag, value());
        break;
      case '--only': {
        const picked = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const w of picked) {
          if (!(WORKLOADS as readonly string[]).includes(w)) fail(`unknown workload ${w}`);
        }
        args.only = new Set(picked as Workload[]);
        break;
      }
      case '--max-minutes':
        args.maxMinutes = positive(flag, value());
        break;
      case '--suite-node-args':
        args.suiteNodeArgs = value().split(/\s+/).filter(Boolean);
        break;
      case '--keep-db':
        args.keepDb = true;
        break;
      case '--ftp-url':
        args.ftpUrl = value();
        break;
      case '--artifact-mib':
        args.artifactBytes = positive(flag, value()) * 1024 * 1024;
        break;
      case '--auth':
        args.auth = true;
        break;
      case '--metrics': {
        const v = value();
        if (v !== 'on' && v !== 'off') fail(`--metrics must be on or off, got ${v}`);
        args.metrics = v === 'on';
        break;
      }
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${flag}`);
    }
  }
  return args;
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) fail(`${flag} must be a positive number, got ${text}`);
  return n;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}
