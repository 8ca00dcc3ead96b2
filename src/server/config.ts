/**
 * Server configuration: defaults, then callflow.yaml, then CALLFLOW_* environment variables, then CLI flags.
 * Every source is validated against one JSON Schema, and errors name the setting and where it came from.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { hostname } from 'node:os';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { CONFIG_SCHEMA } from './config-schema.js';

/** A basic-auth credential: user/password, or a raw token (the base64 part of the header). */
export type BasicCredential = string | { username: string; password: string };

/** A named trunk. */
export interface TrunkConfig {
  uri: string;
  sources?: string[];
  username?: string;
  password?: string;
  default?: boolean;
}

/** The resolved configuration the composition root uses. */
export interface ServerConfig {
  flows: string[];
  bundledFlows: boolean;
  watch: boolean;
  engine: 'embedded' | 'drachtio';
  store: string;
  nodeId: string;
  http: { host: string; port: number; publicUrl?: string };
  sip: {
    host: string;
    port: number;
    transports: Array<'udp' | 'tcp' | 'tls'>;
    tls?: { port: number; cert: string; key: string; verify?: boolean; ca?: string };
    publicAddress?: string;
    allow?: string[];
    rateLimit?: { perSecond?: number; burst?: number };
    drachtio?: { host?: string; port?: number; secret?: string };
  };
  rtp: { host: string; portMin: number; portMax: number; publicAddress?: string; mediaTimeout: number; connectedSend: boolean };
  trunks: Record<string, TrunkConfig>;
  auth: { bearer: string[]; basic: BasicCredential[] };
  flowConfig: Record<string, Record<string, unknown>>;
  env: string[];
  limits: { maxCallDuration: number; shutdownGrace: number };
  log: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' };
}

/** A configuration problem, naming the setting. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Defaults: runs with no config at all. */
export function defaultConfig(): ServerConfig {
  return {
    flows: ['./flows'],
    bundledFlows: true,
    watch: true,
    engine: 'embedded',
    store: 'memory',
    nodeId: `${hostname()}-${process.pid}`,
    http: { host: '0.0.0.0', port: 8080 },
    sip: { host: '0.0.0.0', port: 5060, transports: ['udp', 'tcp'] },
    rtp: { host: '0.0.0.0', portMin: 20000, portMax: 30000, mediaTimeout: 60, connectedSend: true },
    trunks: {},
    auth: { bearer: [], basic: [] },
    flowConfig: {},
    env: [],
    limits: { maxCallDuration: 14400, shutdownGrace: 30 },
    log: { level: 'info' },
  };
}

const ajv = new Ajv({ allErrors: true, useDefaults: false, strict: false });
const validateSchema = ajv.compile(CONFIG_SCHEMA);

/** Validate a partial configuration object from `origin`; throws ConfigError listing every problem. */
export function validateConfig(value: unknown, origin: string): void {
  if (validateSchema(value)) return;
  const problems = (validateSchema.errors ?? []).map((e) => {
    const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '(top level)';
    const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : '';
    return `  ${where}: ${e.message ?? 'invalid'}${extra}`;
  });
  throw new ConfigError(`invalid configuration in ${origin}:\n${problems.join('\n')}`);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merge `over` into `base` (objects merge, arrays and scalars replace). */
export function mergeConfig<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? mergeConfig(out[k], v) : v;
  return out as T;
}

/** Environment variables that map to settings; each value is parsed as the setting's type. */
export const ENV_MAP: Record<string, { path: string[]; type: 'string' | 'int' | 'bool' | 'list' }> = {
  CALLFLOW_FLOWS: { path: ['flows'], type: 'list' },
  CALLFLOW_BUNDLED_FLOWS: { path: ['bundledFlows'], type: 'bool' },
  CALLFLOW_WATCH: { path: ['watch'], type: 'bool' },
  CALLFLOW_ENGINE: { path: ['engine'], type: 'string' },
  CALLFLOW_STORE: { path: ['store'], type: 'string' },
  CALLFLOW_NODE_ID: { path: ['nodeId'], type: 'string' },
  CALLFLOW_HTTP_HOST: { path: ['http', 'host'], type: 'string' },
  CALLFLOW_HTTP_PORT: { path: ['http', 'port'], type: 'int' },
  CALLFLOW_SIP_HOST: { path: ['sip', 'host'], type: 'string' },
  CALLFLOW_SIP_PORT: { path: ['sip', 'port'], type: 'int' },
  CALLFLOW_SIP_PUBLIC_ADDRESS: { path: ['sip', 'publicAddress'], type: 'string' },
  CALLFLOW_SIP_TRANSPORTS: { path: ['sip', 'transports'], type: 'list' },
  CALLFLOW_SIP_TLS_PORT: { path: ['sip', 'tls', 'port'], type: 'int' },
  CALLFLOW_SIP_TLS_CERT: { path: ['sip', 'tls', 'cert'], type: 'string' },
  CALLFLOW_SIP_TLS_KEY: { path: ['sip', 'tls', 'key'], type: 'string' },
  CALLFLOW_SIP_TLS_VERIFY: { path: ['sip', 'tls', 'verify'], type: 'bool' },
  CALLFLOW_SIP_TLS_CA: { path: ['sip', 'tls', 'ca'], type: 'string' },
  CALLFLOW_RTP_HOST: { path: ['rtp', 'host'], type: 'string' },
  CALLFLOW_RTP_PORT_MIN: { path: ['rtp', 'portMin'], type: 'int' },
  CALLFLOW_RTP_PORT_MAX: { path: ['rtp', 'portMax'], type: 'int' },
  CALLFLOW_RTP_CONNECTED_SEND: { path: ['rtp', 'connectedSend'], type: 'bool' },
  CALLFLOW_API_KEYS: { path: ['auth', 'bearer'], type: 'list' },
  CALLFLOW_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
};

function parseEnvValue(name: string, raw: string, type: 'string' | 'int' | 'bool' | 'list'): unknown {
  switch (type) {
    case 'string':
      return raw;
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new ConfigError(`${name}: expected true or false, got '${raw}'`);
    case 'int': {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new ConfigError(`${name}: expected an integer, got '${raw}'`);
      return n;
    }
  }
}

/** The part of the configuration set by CALLFLOW_* variables. */
export function configFromEnv(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  for (const [name, { path, type }] of Object.entries(ENV_MAP)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let node = out;
    for (const key of path.slice(0, -1)) node = (node[key] as Json | undefined) ?? (node[key] = {} as Json);
    node[path[path.length - 1] as string] = parseEnvValue(name, raw, type);
  }
  return out;
}

/** Read and validate a callflow.yaml file. A missing file is an error only when it was asked for explicitly. */
export async function configFromFile(path: string, required: boolean): Promise<Json> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read configuration file ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message}`);
  }
  validateConfig(value, path);
  return withTlsPathsFrom(dirname(resolve(path)), value as Json);
}

/** Relative TLS certificate, key and CA paths in a config file mean relative to that file, not to the cwd. */
function withTlsPathsFrom(dir: string, cfg: Json): Json {
  const sip = cfg.sip;
  const tls = isObject(sip) ? sip.tls : undefined;
  if (!isObject(sip) || !isObject(tls)) return cfg;
  const fix = (v: unknown): unknown => (typeof v === 'string' && !v.includes('-----BEGIN') && !isAbsolute(v) ? resolve(dir, v) : v);
  const fixed: Json = { ...tls, cert: fix(tls.cert), key: fix(tls.key) };
  if (tls.ca !== undefined) fixed.ca = fix(tls.ca);
  return { ...cfg, sip: { ...sip, tls: fixed } };
}

/** Resolve the configuration from all sources, later ones winning. */
export async function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: Json } = {}): Promise<ServerConfig> {
  const fromFile = await configFromFile(opts.file ?? 'callflow.yaml', opts.file !== undefined);
  const fromEnv = configFromEnv(opts.env ?? process.env);
  validateConfig(fromEnv, 'environment variables');
  const flags = opts.flags ?? {};
  validateConfig(flags, 'command-line flags');
  const cfg = mergeConfig(mergeConfig(mergeConfig(defaultConfig(), fromFile), fromEnv), flags);
  if (cfg.sip.tls && !cfg.sip.transports.includes('tls'))
    throw new ConfigError(`sip.tls is set but sip.transports (${cfg.sip.transports.join(', ')}) does not list tls: add tls to sip.transports (CALLFLOW_SIP_TRANSPORTS)`);
  if (cfg.rtp.portMin >= cfg.rtp.portMax) throw new ConfigError(`rtp.portMin (${cfg.rtp.portMin}) must be below rtp.portMax (${cfg.rtp.portMax})`);
  return cfg;
}
