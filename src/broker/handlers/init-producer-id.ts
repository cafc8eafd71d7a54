// InitProducerId for idempotent producers: a fresh producer id, epoch 0. Transactions need a
// transaction coordinator, which this broker does not have yet.
import { ErrorCode } from '../../protocol/error-codes.js';
import { InitProducerId, type InitProducerIdRequest, type InitProducerIdResponse } from '../../protocol/messages/init-producer-id.js';
import type { Route } from '../router.js';
import type { BrokerState } from '../state.js';

export function initProducerIdRoute(state: BrokerState): Route {
  return {
    api: InitProducerId,
    versions: [0, 5],
    handle(req: InitProducerIdRequest): InitProducerIdResponse {
      if (req.transactionalId !== null) {
        return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, producerId: -1n, producerEpoch: -1 };
      }
      return { throttleTimeMs: 0, errorCode: 0, producerId: state.nextProducerId(), producerEpoch: 0 };
    },
  };
}
