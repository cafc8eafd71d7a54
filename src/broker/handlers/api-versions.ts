// ApiVersions: the versions each API is served at, straight from the route table.
import { ApiVersions, type ApiVersionsRequest, type ApiVersionsResponse } from '../../protocol/messages/api-versions.js';
import type { Route } from '../router.js';
import type { BrokerState } from '../state.js';

export function apiVersionsRoute(state: BrokerState): Route {
  return {
    api: ApiVersions,
    versions: [0, 4],
    handle(_req: ApiVersionsRequest): ApiVersionsResponse {
      return {
        errorCode: 0,
        apiKeys: state.routes().advertised(),
        throttleTimeMs: 0,
        supportedFeatures: [],
        finalizedFeaturesEpoch: -1n,
        finalizedFeatures: [],
        zkMigrationReady: false,
      };
    },
  };
}
