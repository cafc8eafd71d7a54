// Kafka Connect's REST resources (RootResource, ConnectorsResource, ConnectorPluginsResource) as
// a route table: method + path pattern → handler. Bodies and statuses follow Kafka 4.0; every
// refusal is a ConnectRestError that the server turns into {"error_code":N,"message":...}.
import { KAFKA_VERSION } from '../../commands/shared/command.js';
import { configKeyInfo } from '../config-def.js';
import { connectorConfigKeys } from '../connector-config.js';
import { CONVERTER_CLASSES } from '../converters/index.js';
import { ConnectRestError, badRequest, notFound } from '../herder-errors.js';
import type { OffsetEntry, StandaloneHerder } from '../herder.js';
import type { PluginRegistry } from '../plugins.js';
import type { TargetState } from '../worker.js';

/** Kafka 4.0.0's commit id, which GET / reports beside the version ktool reproduces. */
const KAFKA_COMMIT = '4ae681446f18f9a6';

export interface RestRequest {
  method: string;
  params: string[];
  query: URLSearchParams;
  /** The parsed JSON body (undefined when there was none). */
  body: unknown;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  herder: StandaloneHerder;
  plugins: PluginRegistry;
}

type Handler = (req: RestRequest, ctx: RouteContext) => Promise<RestResponse> | RestResponse;

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

const SEGMENT = '([^/]+)';
const ok = (body: unknown, status = 200): RestResponse => ({ status, body });

function stringMap(body: unknown, what: string): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`${what} must be a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** Kafka's checkAndPutConnectorConfigName: a `name` in the config must match the URL's. */
function withName(name: string, config: Record<string, string>): Record<string, string> {
  if (config.name !== undefined && config.name !== name) {
    throw badRequest(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
  }
  return { ...config, name };
}

function parseTask(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw notFound('HTTP 404 Not Found');
  return n;
}

function boolQuery(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = query.get(name);
  return v === null ? fallback : v.trim().toLowerCase() === 'true';
}

function offsetsBody(body: unknown): OffsetEntry[] {
  const list = (body as { offsets?: unknown } | null)?.offsets;
  if (!Array.isArray(list) || list.length === 0) throw badRequest('Partitions / offsets need to be provided for an alter offsets request');
  return list.map((o) => {
    const e = o as { partition?: unknown; offset?: unknown };
    if (e.partition === null || typeof e.partition !== 'object') throw badRequest('Each entry of the offsets must have a partition object');
    if (e.offset !== null && typeof e.offset !== 'object') throw badRequest('Each offset must be an object or null');
    return { partition: e.partition as Record<string, unknown>, offset: (e.offset ?? null) as Record<string, unknown> | null };
  });
}

function pluginInfos(plugins: PluginRegistry, connectorsOnly: boolean): unknown[] {
  const byClass = (a: { className: string }, b: { className: string }): number => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0);
  const connectors = [...plugins.connectors].sort(byClass);
  const out: unknown[] = [
    ...connectors.filter((p) => p.type === 'sink').map((p) => ({ class: p.className, type: 'sink', version: p.version })),
    ...connectors.filter((p) => p.type === 'source').map((p) => ({ class: p.className, type: 'source', version: p.version })),
  ];
  if (!connectorsOnly) for (const c of CONVERTER_CLASSES) out.push({ class: c, type: 'converter', version: KAFKA_VERSION });
  return out;
}

const ROUTES: Route[] = [
  {
    pattern: /^\/?$/,
    methods: { GET: (_req, { herder }) => ok({ version: KAFKA_VERSION, commit: KAFKA_COMMIT, kafka_cluster_id: herder.kafkaClusterId }) },
  },
  {
    pattern: /^\/health\/?$/,
    methods: { GET: () => ok({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }) },
  },
  {
    pattern: /^\/connectors\/?$/,
    methods: {
      GET: ({ query }, { herder }) => {
        const expand = query.getAll('expand');
        const names = herder.connectors();
        if (!expand.includes('status') && !expand.includes('info')) return ok(names);
        const out: Record<string, Record<string, unknown>> = {};
        for (const name of names) {
          const item: Record<string, unknown> = {};
          if (expand.includes('status')) item.status = herder.connectorStatus(name);
          if (expand.includes('info')) item.info = herder.connectorInfo(name);
          out[name] = item;
        }
        return ok(out);
      },
      POST: async ({ body }, { herder }) => {
        const req = body as { name?: unknown; config?: unknown; initial_state?: unknown } | null;
        if (req === null || typeof req !== 'object') throw badRequest('Request body must be a JSON object');
        const name = typeof req.name === 'string' ? req.name.trim() : '';
        if (name === '') throw badRequest('Connector name is not specified');
        if (name.includes('/')) throw badRequest(`Connector name '${name}' cannot contain '/'`);
        const config = withName(name, stringMap(req.config ?? {}, 'Connector config'));
        let initial: TargetState = 'RUNNING';
        if (req.initial_state !== undefined && req.initial_state !== null) {
          const s = String(req.initial_state).toUpperCase();
          if (s !== 'RUNNING' && s !== 'PAUSED' && s !== 'STOPPED') throw badRequest(`Invalid initial state ${String(req.initial_state)}`);
          initial = s;
        }
        const { info } = await herder.putConnectorConfig(name, config, false, initial);
        return { status: 201, body: info, headers: { Location: `/connectors/${encodeURIComponent(name)}` } };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/?$`),
    methods: {
      GET: ({ params }, { herder }) => ok(herder.connectorInfo(params[0]!)),
      DELETE: async ({ params }, { herder }) => {
        await herder.deleteConnector(params[0]!);
        return { status: 204 };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/config/?$`),
    methods: {
      GET: ({ params }, { herder }) => ok(herder.connectorConfig(params[0]!)),
      PUT: async ({ params, body }, { herder }) => {
        const name = params[0]!;
        const { created, info } = await herder.putConnectorConfig(name, withName(name, stringMap(body, 'Connector config')), true);
        return created ? { status: 201, body: info, headers: { Location: `/connectors/${encodeURIComponent(name)}` } } : ok(info);
      },
      PATCH: async ({ params, body }, { herder }) => {
        const name = params[0]!;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Connector config must be a JSON object');
        const merged = herder.connectorConfig(name);
        for (const [k, v] of Object.entries(body)) {
          if (v === null) delete merged[k];
          else merged[k] = typeof v === 'string' ? v : String(v);
        }
        const { info } = await herder.putConnectorConfig(name, withName(name, merged), true);
        return ok(info);
      },
    },
  },
  { pattern: new RegExp(`^/connectors/${SEGMENT}/status/?$`), methods: { GET: ({ params }, { herder }) => ok(herder.connectorStatus(params[0]!)) } },
  { pattern: new RegExp(`^/connectors/${SEGMENT}/tasks/?$`), methods: { GET: ({ params }, { herder }) => ok(herder.taskConfigs(params[0]!)) } },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/tasks/${SEGMENT}/status/?$`),
    methods: { GET: ({ params }, { herder }) => ok(herder.taskStatus(params[0]!, parseTask(params[1]!))) },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/tasks/${SEGMENT}/restart/?$`),
    methods: {
      POST: async ({ params }, { herder }) => {
        await herder.restartTask(params[0]!, parseTask(params[1]!));
        return { status: 204 };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/restart/?$`),
    methods: {
      POST: async ({ params, query }, { herder }) => {
        const status = await herder.restartConnector(params[0]!, boolQuery(query, 'includeTasks', false), boolQuery(query, 'onlyFailed', false));
        return status === undefined ? { status: 204 } : { status: 202, body: status };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/pause/?$`),
    methods: {
      PUT: async ({ params }, { herder }) => {
        await herder.pauseConnector(params[0]!);
        return { status: 202 };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/resume/?$`),
    methods: {
      PUT: async ({ params }, { herder }) => {
        await herder.resumeConnector(params[0]!);
        return { status: 202 };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/stop/?$`),
    methods: {
      PUT: async ({ params }, { herder }) => {
        await herder.stopConnector(params[0]!);
        return { status: 204 };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/topics/?$`),
    methods: { GET: ({ params }, { herder }) => ok({ [params[0]!]: { topics: herder.connectorTopics(params[0]!) } }) },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/topics/reset/?$`),
    methods: {
      PUT: ({ params }, { herder }) => {
        herder.resetConnectorTopics(params[0]!);
        return { status: 202 };
      },
    },
  },
  {
    pattern: new RegExp(`^/connectors/${SEGMENT}/offsets/?$`),
    methods: {
      GET: async ({ params }, { herder }) => ok({ offsets: await herder.connectorOffsets(params[0]!) }),
      PATCH: async ({ params, body }, { herder }) => ok({ message: await herder.modifyOffsets(params[0]!, offsetsBody(body)) }),
      DELETE: async ({ params }, { herder }) => ok({ message: await herder.modifyOffsets(params[0]!, undefined) }),
    },
  },
  {
    pattern: /^\/connector-plugins\/?$/,
    methods: { GET: ({ query }, { plugins }) => ok(pluginInfos(plugins, boolQuery(query, 'connectorsOnly', true))) },
  },
  {
    pattern: new RegExp(`^/connector-plugins/${SEGMENT}/config/?$`),
    methods: {
      GET: ({ params }, { plugins }) => {
        let plugin;
        try {
          plugin = plugins.find(params[0]!);
        } catch {
          throw notFound(`Unknown plugin ${params[0]}.`);
        }
        const own = plugin.create().config();
        const common = connectorConfigKeys(plugin.type);
        return ok([...common, ...own.filter((k) => !common.some((c) => c.name === k.name))].map(configKeyInfo));
      },
    },
  },
  {
    pattern: new RegExp(`^/connector-plugins/${SEGMENT}/config/validate/?$`),
    methods: {
      PUT: ({ params, body }, { herder }) => {
        const plugin = params[0]!;
        const config = stringMap(body, 'Connector config');
        const type = config['connector.class'];
        if (type !== undefined && !type.endsWith(plugin)) throw badRequest(`Included connector type ${type} does not match request type ${plugin}`);
        return ok(herder.validate(config));
      },
    },
  },
];

/** Finds the handler for a request: 404 for an unknown path, 405 for a known path and wrong method. */
export function route(method: string, path: string): { handler: Handler; params: string[] } {
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const handler = r.methods[method];
    if (!handler) throw new ConnectRestError(405, 'HTTP 405 Method Not Allowed');
    let params: string[];
    try {
      params = m.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      throw notFound('HTTP 404 Not Found');
    }
    return { handler, params };
  }
  throw notFound('HTTP 404 Not Found');
}
