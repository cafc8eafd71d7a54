// The bundled broker's public entry point.
import type { BrokerConfig } from '../config/broker-config.js';
import type { Logger } from '../log.js';
import { Broker } from './broker.js';

export { Broker } from './broker.js';

export function startBroker(config: BrokerConfig, opts: { logger?: Logger } = {}): Promise<Broker> {
  return Broker.start(config, opts.logger);
}
