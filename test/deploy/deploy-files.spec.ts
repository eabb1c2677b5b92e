import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';

import {
  DEPLOY,
  dockerfileStages,
  IMAGE_APPS,
  REPO,
  serviceNodeFlags,
  Stage,
  stageChain,
  stageEnv,
} from './deploy-files';

const stages = dockerfileStages();
const nestProjects = (
  JSON.parse(readFileSync(join(REPO, 'nest-cli.json'), 'utf8')) as {
    projects: Record<string, { entryFile?: string }>;
  }
).projects;
const guide = readFileSync(join(DEPLOY, 'README.md'), 'utf8');

/** Env keys whose values are secrets: never inline, always a placeholder. */
const SECRET_KEY = /(PASS|PASSWORD|SECRET|TOKEN|PASSPHRASE)$/;
/** A URI's credentials, e.g. mysql://user:pass@host:3306/db. */
const USERINFO_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]*)@/;
const HOST_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([^:/\s]+):(\d+)/;

function runtime(stage: Stage): Stage[] {
  return stageChain(stages, stage.name);
}

describe('deploy/docker/Dockerfile', () => {
  const runtimeStage = stages.find((s) => s.name === 'runtime');

  it('is multi-stage: a build stage with dev dependencies, a runtime stage on a slim Node image', () => {
    const build = stages.find((s) => s.name === 'build');
    expect(build?.steps.filter((s) => s.keyword === 'RUN').map((s) => s.content)).toEqual([
      expect.stringMatching(/^npm ci\b(?!.*--omit)/),
      'npm run build',
    ]);
    expect(runtimeStage?.base).toMatch(/^node:\d+(\.\d+)*-[a-z]+-slim$/);
  });

  it('installs production dependencies only in the runtime stage and runs as a non-root user', () => {
    const steps = runtimeStage?.steps ?? [];
    expect(steps.filter((s) => s.keyword === 'RUN').map((s) => s.content)).toEqual([
      expect.stringMatching(/^npm ci --omit=dev\b/),
    ]);
    expect(steps.filter((s) => s.keyword === 'COPY').map((s) => s.content)).toEqual([
      'package.json package-lock.json ./',
    ]);
    const users = stages.flatMap((s) => s.steps.filter((step) => step.keyword === 'USER'));
    expect(users.map((u) => u.content)).toEqual(['node']);
    const user = steps.findIndex((s) => s.keyword === 'USER');
    expect(user).toBeGreaterThan(steps.findIndex((s) => s.keyword === 'RUN'));
  });

  it('checks readiness with a HEALTHCHECK that needs nothing beyond node', () => {
    const check = runtimeStage?.steps.find((s) => s.keyword === 'HEALTHCHECK');
    expect(check?.exec?.[0]).toBe('node');
    expect(check?.exec?.join(' ')).toContain("process.env.PORT + '/health/ready'");
    expect(Object.keys(check?.flags ?? {}).sort()).toEqual([
      'interval',
      'retries',
      'start-period',
      'timeout',
    ]);
  });

  it.each(IMAGE_APPS)(
    'has a %s target: its own dist (and the web UI where served), started by node',
    (app) => {
      const target = stages.find((s) => s.name === app);
      expect(target).toBeDefined();
      const chain = runtime(target!);
      expect(chain.map((s) => s.name)).toEqual(['runtime', app]);
      const copies = target!.steps.filter((s) => s.keyword === 'COPY');
      const servesWebUi = app === 'suite' || app === 'tracking';
      expect(copies).toEqual(
        [app, ...(servesWebUi ? ['web'] : [])].map((dist) => ({
          keyword: 'COPY',
          content: `/src/dist/apps/${dist} ./dist/apps/${dist}`,
          flags: { from: 'build' },
          exec: undefined,
        })),
      );
      const cmd = target!.steps.filter((s) => s.keyword === 'CMD');
      expect(cmd).toHaveLength(1);
      const entry = `dist/apps/${app}/${nestProjects[app].entryFile}.js`;
      const flags = app === 'migrate' ? [] : serviceNodeFlags();
      expect(cmd[0].exec).toEqual(['node', ...flags, entry]);
      expect(target!.steps.some((s) => s.keyword === 'ENTRYPOINT' || s.keyword === 'USER')).toBe(
        false,
      );
    },
  );

  it('gives every service target its port and the migrate job no health check', () => {
    for (const app of IMAGE_APPS.filter((a) => a !== 'migrate')) {
      const target = stages.find((s) => s.name === app)!;
      const port = stageEnv(runtime(target)).PORT;
      expect(target.steps.find((s) => s.keyword === 'EXPOSE')?.content).toBe(port);
      expect(stageEnv(runtime(target)).HOST).toBe('0.0.0.0');
    }
    const migrate = stages.find((s) => s.name === 'migrate')!;
    expect(migrate.steps.find((s) => s.keyword === 'HEALTHCHECK')?.content).toBe('NONE');
  });
});

interface Microservice {
  microservice_name: string;
  code: string;
  memory?: number;
  vcpus?: number;
  port?: string;
  environment?: string[];
  addresses?: { rr_ip?: string };
  volumes?: { csi_driver: string; mount_path: string }[];
  constraints?: { type: string; node?: string; cluster?: string }[];
  one_shot?: boolean;
}

interface Sla {
  applications: { microservices: Microservice[] }[];
}

const OAKESTRA = join(DEPLOY, 'oakestra');
const descriptors = readdirSync(OAKESTRA).filter((f) => f.endsWith('.sla.json'));
const sla = (file: string): Sla => JSON.parse(readFileSync(join(OAKESTRA, file), 'utf8')) as Sla;
const envOf = (service: { environment?: string[] }): Record<string, string> =>
  Object.fromEntries(
    (service.environment ?? []).map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
/** Ports the third-party images listen on (ours say PORT). */
const IMAGE_PORTS: Record<string, number> = {
  'docker.io/library/mysql': 3306,
  'docker.io/fauria/vsftpd': 21,
};
const OUR_IMAGE = /^\$\{IMAGE_REGISTRY\}\/mlops-([a-z-]+):\$\{IMAGE_TAG\}$/;

function listensOn(service: Microservice): number | undefined {
  const port = envOf(service).PORT;
  return port ? Number(port) : IMAGE_PORTS[service.code.split(':')[0]];
}

/** Every `${NAME}` a file asks the operator to fill in. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+)(?::[?-][^}]*)?\}/g)].map((m) => m[1]))];
}

function expectSecretsNotInline(where: string, env: Record<string, string>): void {
  for (const [key, value] of Object.entries(env)) {
    if (SECRET_KEY.test(key)) {
      expect({ where, key, value }).toEqual({
        where,
        key,
        value: expect.stringMatching(/^\$\{[A-Z0-9_]+(:\?[^}]*)?\}$/),
      });
    }
    const password = USERINFO_PASSWORD.exec(value)?.[1];
    if (password !== undefined) {
      expect({ where, key, password }).toEqual({
        where,
        key,
        password: expect.stringMatching(/^\$\{[A-Z0-9_]+\}$/),
      });
    }
  }
}

describe('deploy/oakestra descriptors', () => {
  const schema = JSON.parse(readFileSync(join(OAKESTRA, 'sla.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);

  it('has the base descriptor and the one with tracking scaled', () => {
    expect(descriptors.sort()).toEqual(['mlops-scaled.sla.json', 'mlops.sla.json']);
  });

  it.each(descriptors)('%s is a valid SLA v2.0', (file) => {
    validate(sla(file));
    expect(validate.errors ?? []).toEqual([]);
  });

  it('refuses what Oakestra refuses (names with symbols, ranges in port, a set microserviceID)', () => {
    const base = sla('mlops.sla.json');
    const broken = (change: (s: Microservice & Record<string, unknown>) => void): boolean => {
      const copy = structuredClone(base);
      change(copy.applications[0].microservices[0] as Microservice & Record<string, unknown>);
      return validate(copy);
    };
    expect(broken(() => undefined)).toBe(true);
    expect(broken((s) => (s.microservice_name = 'model-registry'))).toBe(false);
    expect(broken((s) => (s.microservice_name = 'a'.repeat(31)))).toBe(false);
    expect(broken((s) => (s.port = '21100-21110'))).toBe(false);
    expect(broken((s) => (s.microserviceID = 'x'))).toBe(false);
    expect(broken((s) => (s.addresses = { rr_ip: '10.31.0.1' }))).toBe(false);
    expect(broken((s) => (s.memmory = 1))).toBe(false);
  });

  describe.each(descriptors)('%s', (file) => {
    const services = sla(file).applications.flatMap((a) => a.microservices);
    const byIp = new Map(services.map((s) => [s.addresses?.rr_ip, s]));
    const ours = services.filter((s) => OUR_IMAGE.test(s.code));
    const named = (name: string): Microservice => {
      const service = services.find((s) => s.microservice_name === name);
      if (!service) throw new Error(`no ${name} in ${file}`);
      return service;
    };

    it('holds MySQL, vsftpd, the schema job and the three services, each from its image target', () => {
      expect(services.map((s) => s.microservice_name).sort()).toEqual(
        ['artifactproxy', 'migrate', 'mysql', 'registry', 'tracking', 'vsftpd'].sort(),
      );
      const targets = ours.map((s) => OUR_IMAGE.exec(s.code)?.[1]);
      expect(targets.sort()).toEqual(['artifact-proxy', 'migrate', 'model-registry', 'tracking']);
      expect(named('migrate').one_shot).toBe(true);
    });

    it('gives each service a unique service IP and sizes every one', () => {
      const ips = services.map((s) => s.addresses?.rr_ip).filter((ip) => ip !== undefined);
      expect(new Set(ips).size).toBe(ips.length);
      expect(services.filter((s) => s.microservice_name !== 'migrate')).toHaveLength(ips.length);
      for (const s of services) {
        expect([s.microservice_name, s.memory! > 0, s.vcpus! > 0]).toEqual([
          s.microservice_name,
          true,
          true,
        ]);
      }
    });

    it('makes the services listen on 0.0.0.0 at the port they publish', () => {
      for (const s of ours.filter((o) => !o.one_shot)) {
        const env = envOf(s);
        expect([s.microservice_name, env.HOST]).toEqual([s.microservice_name, '0.0.0.0']);
        if (s.port !== undefined) expect(s.port.split(':').pop()).toBe(env.PORT);
      }
    });

    it('wires every URL to an existing service IP and the port that service listens on', () => {
      let urls = 0;
      for (const s of services) {
        for (const [key, value] of Object.entries(envOf(s))) {
          const match = HOST_PORT.exec(value);
          if (!match) continue;
          urls += 1;
          const target = byIp.get(match[1]);
          expect({
            from: s.microservice_name,
            key,
            ip: match[1],
            found: target !== undefined,
          }).toEqual({ from: s.microservice_name, key, ip: match[1], found: true });
          expect({ from: s.microservice_name, key, port: Number(match[2]) }).toEqual({
            from: s.microservice_name,
            key,
            port: listensOn(target!),
          });
        }
      }
      expect(urls).toBeGreaterThanOrEqual(10);
      const proxyIp = named('artifactproxy').addresses?.rr_ip;
      for (const name of ['tracking', 'registry']) {
        expect(envOf(named(name)).ARTIFACT_PROXY_URL).toBe(`http://${proxyIp}:5003`);
      }
      expect(envOf(named('artifactproxy')).ARTIFACTS_DESTINATION).toMatch(/^ftp:\/\//);
      expect(envOf(named('tracking')).ARTIFACTS_DESTINATION).toBeUndefined();
    });

    it('keeps MySQL and vsftpd on one node with a hostpath volume', () => {
      for (const name of ['mysql', 'vsftpd']) {
        const s = named(name);
        expect(s.volumes?.map((v) => v.csi_driver)).toEqual(['csi.oakestra.io/hostpath']);
        expect(s.constraints).toEqual([{ type: 'direct', node: '${STATE_NODE}' }]);
      }
      expect(named('mysql').volumes?.[0].mount_path).toBe('/var/lib/mysql');
      expect(named('mysql').code).toMatch(/^docker\.io\/library\/mysql:8(\.\d+)*$/);
    });

    it('lists every vsftpd passive port one by one and announces its service IP', () => {
      const vsftpd = named('vsftpd');
      const env = envOf(vsftpd);
      const published = vsftpd.port?.split(';').map((p) => Number(p.split(/[:/]/)[0]));
      const passive: number[] = [];
      for (let p = Number(env.PASV_MIN_PORT); p <= Number(env.PASV_MAX_PORT); p += 1) {
        passive.push(p);
      }
      expect(passive.length).toBeGreaterThan(0);
      expect(published).toEqual([21, ...passive]);
      expect(env.PASV_ADDRESS).toBe(vsftpd.addresses?.rr_ip);
    });

    it('holds no secret inline: each is a placeholder the guide explains', () => {
      for (const s of services) expectSecretsNotInline(`${file} ${s.microservice_name}`, envOf(s));
      const text = readFileSync(join(OAKESTRA, file), 'utf8');
      for (const name of placeholders(text)) expect(guide).toContain(`\`\${${name}}\``);
    });
  });

  it('scales only tracking: no host port (instances may share a worker), a smaller pool each', () => {
    const base = sla('mlops.sla.json').applications[0].microservices;
    const scaled = sla('mlops-scaled.sla.json').applications[0].microservices;
    const differs = scaled.filter((s, i) => JSON.stringify(s) !== JSON.stringify(base[i]));
    expect(differs.map((s) => s.microservice_name)).toEqual(['tracking']);
    const tracking = differs[0];
    expect(tracking.port).toBeUndefined();
    expect(Number(envOf(tracking).DB_POOL_SIZE)).toBeLessThan(
      Number(envOf(base.find((s) => s.microservice_name === 'tracking')!).DB_POOL_SIZE),
    );
  });
});

// The compose file read with the failsafe schema: every scalar a string, as compose sees them
// before its own interpolation.
type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

type Compose = {
  services: Record<string, Record<string, YamlValue>>;
};

describe('deploy/compose/docker-compose.yml', () => {
  const composeDir = join(DEPLOY, 'compose');
  const text = readFileSync(join(composeDir, 'docker-compose.yml'), 'utf8');
  const compose = parseYaml(text, { schema: 'failsafe', uniqueKeys: true }) as Compose;
  const services = compose.services;
  const envExample = Object.fromEntries(
    readFileSync(join(composeDir, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const env = (name: string): Record<string, string> =>
    (services[name].environment ?? {}) as Record<string, string>;
  const built = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('has MySQL, vsftpd, the migrate job and the three services', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['artifact-proxy', 'migrate', 'model-registry', 'mysql', 'tracking', 'vsftpd'].sort(),
    );
  });

  it('builds each app from its Dockerfile target', () => {
    for (const [name, service] of built) {
      const build = service.build as Record<string, string>;
      expect(build).toEqual({
        context: '../..',
        dockerfile: 'deploy/docker/Dockerfile',
        target: name,
      });
      expect(IMAGE_APPS).toContain(name);
      expect(service.image).toBe(
        `\${IMAGE_REGISTRY:-localhost}/mlops-${name}:\${IMAGE_TAG:-latest}`,
      );
    }
    expect(built).toHaveLength(4);
  });

  it('health-checks every long-running service and starts each after what it needs', () => {
    const healthy = new Set<string>();
    for (const [name, service] of Object.entries(services)) {
      if (name === 'migrate') {
        expect(service.healthcheck).toBeUndefined();
        continue;
      }
      const check = service.healthcheck as Record<string, YamlValue> | undefined;
      expect([name, check !== undefined]).toEqual([name, true]);
      // Our images carry their HEALTHCHECK (readiness); compose only tunes its timing.
      if (service.build !== undefined) expect(check?.test).toBeUndefined();
      else expect((check?.test as string[])[0]).toBe('CMD');
      healthy.add(name);
    }
    for (const [name, service] of Object.entries(services)) {
      const needs = (service.depends_on ?? {}) as Record<string, { condition: string }>;
      for (const [other, { condition }] of Object.entries(needs)) {
        if (condition === 'service_healthy') {
          expect([name, other, healthy.has(other)]).toEqual([name, other, true]);
        } else {
          expect([name, other, condition]).toEqual([
            name,
            'migrate',
            'service_completed_successfully',
          ]);
        }
      }
    }
    for (const name of ['tracking', 'model-registry', 'artifact-proxy']) {
      expect(services[name].depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('takes every secret from the env file, whose example holds none', () => {
    for (const name of Object.keys(services)) expectSecretsNotInline(`compose ${name}`, env(name));
    const used = [...text.matchAll(/\$\{([A-Z0-9_]+)(:[?-][^}]*)?\}/g)];
    for (const [, variable, modifier] of used) {
      if (modifier?.startsWith(':-')) continue;
      expect([variable, variable in envExample]).toEqual([variable, true]);
    }
    const secrets = Object.keys(envExample).filter((k) => SECRET_KEY.test(k));
    expect(secrets.sort()).toEqual(
      ['FTP_PASSWORD', 'MLFLOW_ADMIN_PASSWORD', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD'].sort(),
    );
    for (const key of secrets) expect([key, envExample[key]]).toEqual([key, '']);
  });

  it('wires every URL to a service of this file and the port it listens on', () => {
    const listen: Record<string, number> = { mysql: 3306, vsftpd: 21 };
    for (const [name] of built) {
      if (env(name).PORT) listen[name] = Number(env(name).PORT);
    }
    let urls = 0;
    for (const name of Object.keys(services)) {
      for (const [key, value] of Object.entries(env(name))) {
        const match = HOST_PORT.exec(value);
        if (!match || match[1].startsWith('$')) continue;
        urls += 1;
        expect({ name, key, port: Number(match[2]) }).toEqual({
          name,
          key,
          port: listen[match[1]],
        });
      }
    }
    expect(urls).toBeGreaterThanOrEqual(6);
    expect(env('tracking').ARTIFACT_PROXY_URL).toBe('http://artifact-proxy:5003');
    expect(env('model-registry').ARTIFACT_PROXY_URL).toBe('http://artifact-proxy:5003');
  });
});
