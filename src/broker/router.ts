// The route table: API key → the handler and the versions it really parses. ApiVersions answers
// from this table, so what the broker advertises is exactly what it serves.
import type { RequestHeader } from '../protocol/headers.js';
import type { ApiSchema, Versions } from '../protocol/schema.js';

export interface RequestContext {
  readonly header: RequestHeader;
  /** `/127.0.0.1` style address of the peer, as Kafka prints client hosts. */
  readonly clientHost: string;
  readonly connectionId: string;
  readonly listenerName: string;
  /** Runs `fn` once the socket has taken this request's response bytes (never if it is dropped). */
  whenSent?(fn: () => void): void;
}

/** Returned by a handler when Kafka sends no response (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no response');

export type HandlerResult<Res> = Res | typeof NO_RESPONSE;

export interface Route {
  readonly api: ApiSchema;
  /** Versions the handler parses and answers. */
  readonly versions: Versions;
  /** Lower bound advertised in ApiVersions when it differs from versions[0] (Produce: 0). */
  readonly advertisedMin?: number;
  handle(request: any, ctx: RequestContext): HandlerResult<unknown> | Promise<HandlerResult<unknown>>;
}

export class RouteTable {
  private readonly routes = new Map<number, Route>();

  constructor(routes: readonly Route[]) {
    for (const r of routes) {
      if (this.routes.has(r.api.apiKey)) throw new Error(`duplicate route for API key ${r.api.apiKey} (${r.api.name})`);
      const [min, max] = r.versions;
      const [vmin, vmax] = r.api.request.validVersions;
      if (min < vmin || max > vmax) throw new Error(`${r.api.name} v${min}-${max} is outside Kafka's v${vmin}-${vmax}`);
      this.routes.set(r.api.apiKey, r);
    }
  }

  get(apiKey: number): Route | undefined {
    return this.routes.get(apiKey);
  }

  supports(apiKey: number, version: number): boolean {
    const r = this.routes.get(apiKey);
    return r !== undefined && version >= r.versions[0] && version <= r.versions[1];
  }

  /** The ApiVersions `apiKeys` array, in key order. */
  advertised(): Array<{ apiKey: number; minVersion: number; maxVersion: number }> {
    return [...this.routes.values()]
      .sort((a, b) => a.api.apiKey - b.api.apiKey)
      .map((r) => ({ apiKey: r.api.apiKey, minVersion: r.advertisedMin ?? r.versions[0], maxVersion: r.versions[1] }));
  }
}
