// Kafka protocol error codes as the client side of the tools needs them: the name, the message a
// Java client prints when the broker sends no error message, the Java exception class (the tools'
// stderr log lines show it), and whether retrying can help.

export interface KafkaErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly exception: string;
  readonly retriable: boolean;
}

const E = (name: string, exception: string, message: string, retriable = false): KafkaErrorInfo => ({ name, message, exception, retriable });

const CODES: ReadonlyMap<number, KafkaErrorInfo> = new Map([
  [-1, E('UNKNOWN_SERVER_ERROR', 'UnknownServerException', 'The server experienced an unexpected error when processing the request.')],
  [1, E('OFFSET_OUT_OF_RANGE', 'OffsetOutOfRangeException', 'The requested offset is not within the range of offsets maintained by the server.')],
  [2, E('CORRUPT_MESSAGE', 'CorruptRecordException', 'This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.', true)],
  [3, E('UNKNOWN_TOPIC_OR_PARTITION', 'UnknownTopicOrPartitionException', 'This server does not host this topic-partition.', true)],
  [5, E('LEADER_NOT_AVAILABLE', 'LeaderNotAvailableException', 'There is no leader for this topic-partition as we are in the middle of a leadership election.', true)],
  [6, E('NOT_LEADER_OR_FOLLOWER', 'NotLeaderOrFollowerException', 'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.', true)],
  [7, E('REQUEST_TIMED_OUT', 'TimeoutException', 'The request timed out.', true)],
  [8, E('BROKER_NOT_AVAILABLE', 'BrokerNotAvailableException', 'The broker is not available.')],
  [9, E('REPLICA_NOT_AVAILABLE', 'ReplicaNotAvailableException', 'The replica is not available for the requested topic-partition.', true)],
  [10, E('MESSAGE_TOO_LARGE', 'RecordTooLargeException', 'The request included a message larger than the max message size the server will accept.')],
  [13, E('NETWORK_EXCEPTION', 'NetworkException', 'The server disconnected before a response was received.', true)],
  [14, E('COORDINATOR_LOAD_IN_PROGRESS', 'CoordinatorLoadInProgressException', 'The coordinator is loading and hence can\'t process requests.', true)],
  [15, E('COORDINATOR_NOT_AVAILABLE', 'CoordinatorNotAvailableException', 'The coordinator is not available.', true)],
  [16, E('NOT_COORDINATOR', 'NotCoordinatorException', 'This is not the correct coordinator.', true)],
  [17, E('INVALID_TOPIC_EXCEPTION', 'InvalidTopicException', 'The request attempted to perform an operation on an invalid topic.')],
  [19, E('NOT_ENOUGH_REPLICAS', 'NotEnoughReplicasException', 'Messages are rejected since there are fewer in-sync replicas than required.', true)],
  [29, E('TOPIC_AUTHORIZATION_FAILED', 'TopicAuthorizationException', 'Topic authorization failed.')],
  [31, E('CLUSTER_AUTHORIZATION_FAILED', 'ClusterAuthorizationException', 'Cluster authorization failed.')],
  [33, E('UNSUPPORTED_SASL_MECHANISM', 'UnsupportedSaslMechanismException', 'The broker does not support the requested SASL mechanism.')],
  [34, E('ILLEGAL_SASL_STATE', 'IllegalSaslStateException', 'Request is not valid given the current SASL state.')],
  [35, E('UNSUPPORTED_VERSION', 'UnsupportedVersionException', 'The version of API is not supported.')],
  [36, E('TOPIC_ALREADY_EXISTS', 'TopicExistsException', 'Topic with this name already exists.')],
  [37, E('INVALID_PARTITIONS', 'InvalidPartitionsException', 'Number of partitions is below 1.')],
  [38, E('INVALID_REPLICATION_FACTOR', 'InvalidReplicationFactorException', 'Replication factor is below 1 or larger than the number of available brokers.')],
  [39, E('INVALID_REPLICA_ASSIGNMENT', 'InvalidReplicaAssignmentException', 'Replica assignment is invalid.')],
  [40, E('INVALID_CONFIG', 'InvalidConfigurationException', 'Configuration is invalid.')],
  [41, E('NOT_CONTROLLER', 'NotControllerException', 'This is not the correct controller for this cluster.', true)],
  [42, E('INVALID_REQUEST', 'InvalidRequestException', 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.')],
  [44, E('POLICY_VIOLATION', 'PolicyViolationException', 'Request parameters do not satisfy the configured policy.')],
  [58, E('SASL_AUTHENTICATION_FAILED', 'SaslAuthenticationException', 'SASL Authentication failed.')],
  [73, E('TOPIC_DELETION_DISABLED', 'TopicDeletionDisabledException', 'Topic deletion is disabled.')],
  [74, E('FENCED_LEADER_EPOCH', 'FencedLeaderEpochException', 'The leader epoch in the request is older than the epoch on the broker.', true)],
  [75, E('UNKNOWN_LEADER_EPOCH', 'UnknownLeaderEpochException', 'The leader epoch in the request is newer than the epoch on the broker.', true)],
  [76, E('UNSUPPORTED_COMPRESSION_TYPE', 'UnsupportedCompressionTypeException', 'The requesting client does not support the compression type of given partition.')],
  [89, E('THROTTLING_QUOTA_EXCEEDED', 'ThrottlingQuotaExceededException', 'The throttling quota has been exceeded.', true)],
  [100, E('UNKNOWN_TOPIC_ID', 'UnknownTopicIdException', 'This server does not host this topic ID.', true)],
]);

export function kafkaErrorInfo(code: number): KafkaErrorInfo {
  return CODES.get(code) ?? E(`UNKNOWN_ERROR_${code}`, 'UnknownServerException', `Unknown error code ${code}.`);
}

/** The Java exception class for an error name such as `UNKNOWN_TOPIC_OR_PARTITION` (kafkajs's `type`). */
export function javaClassForErrorName(name: string): string | undefined {
  for (const info of CODES.values()) if (info.name === name) return `org.apache.kafka.common.errors.${info.exception}`;
  return undefined;
}

/** A non-zero error code from a response, with the broker's message when it sent one. */
export class KafkaProtocolError extends Error {
  readonly errorCode: number;
  readonly type: string;
  readonly retriable: boolean;
  /** Fully-qualified Java exception class, for log lines that mimic the Java tools. */
  readonly javaClass: string;

  constructor(errorCode: number, brokerMessage?: string | null) {
    const info = kafkaErrorInfo(errorCode);
    super(brokerMessage || info.message);
    this.name = 'KafkaProtocolError';
    this.errorCode = errorCode;
    this.type = info.name;
    this.retriable = info.retriable;
    this.javaClass = `org.apache.kafka.common.errors.${info.exception}`;
  }
}

export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  NOT_CONTROLLER: 41,
  UNKNOWN_TOPIC_ID: 100,
} as const;
