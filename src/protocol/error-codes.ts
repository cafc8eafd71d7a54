// Kafka's error codes: the number on the wire, the name, the Java exception class the tools print
// in their log lines, the message a Java client shows when the broker sends none, and whether a
// retry can help. One table for the broker (which sends them) and the clients (which explain them).

type Row = readonly [code: number, name: string, exception: string, message: string, retriable?: boolean];

const ROWS = [
  [-1, 'UNKNOWN_SERVER_ERROR', 'UnknownServerException', 'The server experienced an unexpected error when processing the request.'],
  [0, 'NONE', '', ''],
  [1, 'OFFSET_OUT_OF_RANGE', 'OffsetOutOfRangeException', 'The requested offset is not within the range of offsets maintained by the server.'],
  [2, 'CORRUPT_MESSAGE', 'CorruptRecordException', 'This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.', true],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', 'UnknownTopicOrPartitionException', 'This server does not host this topic-partition.', true],
  [4, 'INVALID_FETCH_SIZE', 'InvalidFetchSizeException', 'The message has an invalid fetch size.'],
  [5, 'LEADER_NOT_AVAILABLE', 'LeaderNotAvailableException', 'There is no leader for this topic-partition as we are in the middle of a leadership election.', true],
  [6, 'NOT_LEADER_OR_FOLLOWER', 'NotLeaderOrFollowerException', 'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.', true],
  [7, 'REQUEST_TIMED_OUT', 'TimeoutException', 'The request timed out.', true],
  [8, 'BROKER_NOT_AVAILABLE', 'BrokerNotAvailableException', 'The broker is not available.'],
  [9, 'REPLICA_NOT_AVAILABLE', 'ReplicaNotAvailableException', 'The replica is not available for the requested topic-partition.', true],
  [10, 'MESSAGE_TOO_LARGE', 'RecordTooLargeException', 'The request included a message larger than the max message size the server will accept.'],
  [12, 'OFFSET_METADATA_TOO_LARGE', 'OffsetMetadataTooLarge', 'The metadata field of the offset request was too large.'],
  [13, 'NETWORK_EXCEPTION', 'NetworkException', 'The server disconnected before a response was received.', true],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', 'CoordinatorLoadInProgressException', 'The coordinator is loading and hence can\'t process requests.', true],
  [15, 'COORDINATOR_NOT_AVAILABLE', 'CoordinatorNotAvailableException', 'The coordinator is not available.', true],
  [16, 'NOT_COORDINATOR', 'NotCoordinatorException', 'This is not the correct coordinator.', true],
  [17, 'INVALID_TOPIC_EXCEPTION', 'InvalidTopicException', 'The request attempted to perform an operation on an invalid topic.'],
  [18, 'RECORD_LIST_TOO_LARGE', 'RecordBatchTooLargeException', 'The request included message batch larger than the configured segment size on the server.'],
  [19, 'NOT_ENOUGH_REPLICAS', 'NotEnoughReplicasException', 'Messages are rejected since there are fewer in-sync replicas than required.', true],
  [21, 'INVALID_REQUIRED_ACKS', 'InvalidRequiredAcksException', 'Produce request specified an invalid value for required acks.'],
  [22, 'ILLEGAL_GENERATION', 'IllegalGenerationException', 'Specified group generation id is not valid.'],
  [23, 'INCONSISTENT_GROUP_PROTOCOL', 'InconsistentGroupProtocolException', 'The group member\'s supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.'],
  [24, 'INVALID_GROUP_ID', 'InvalidGroupIdException', 'The configured groupId is invalid.'],
  [25, 'UNKNOWN_MEMBER_ID', 'UnknownMemberIdException', 'The coordinator is not aware of this member.'],
  [26, 'INVALID_SESSION_TIMEOUT', 'InvalidSessionTimeoutException', 'The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).'],
  [27, 'REBALANCE_IN_PROGRESS', 'RebalanceInProgressException', 'The group is rebalancing, so a rejoin is needed.'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', 'InvalidCommitOffsetSizeException', 'The committing offset data size is not valid.'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', 'TopicAuthorizationException', 'Topic authorization failed.'],
  [30, 'GROUP_AUTHORIZATION_FAILED', 'GroupAuthorizationException', 'Group authorization failed.'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', 'ClusterAuthorizationException', 'Cluster authorization failed.'],
  [32, 'INVALID_TIMESTAMP', 'InvalidTimestampException', 'The timestamp of the message is out of acceptable range.'],
  [33, 'UNSUPPORTED_SASL_MECHANISM', 'UnsupportedSaslMechanismException', 'The broker does not support the requested SASL mechanism.'],
  [34, 'ILLEGAL_SASL_STATE', 'IllegalSaslStateException', 'Request is not valid given the current SASL state.'],
  [35, 'UNSUPPORTED_VERSION', 'UnsupportedVersionException', 'The version of API is not supported.'],
  [36, 'TOPIC_ALREADY_EXISTS', 'TopicExistsException', 'Topic with this name already exists.'],
  [37, 'INVALID_PARTITIONS', 'InvalidPartitionsException', 'Number of partitions is below 1.'],
  [38, 'INVALID_REPLICATION_FACTOR', 'InvalidReplicationFactorException', 'Replication factor is below 1 or larger than the number of available brokers.'],
  [39, 'INVALID_REPLICA_ASSIGNMENT', 'InvalidReplicaAssignmentException', 'Replica assignment is invalid.'],
  [40, 'INVALID_CONFIG', 'InvalidConfigurationException', 'Configuration is invalid.'],
  [41, 'NOT_CONTROLLER', 'NotControllerException', 'This is not the correct controller for this cluster.', true],
  [42, 'INVALID_REQUEST', 'InvalidRequestException', 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.'],
  [43, 'UNSUPPORTED_FOR_MESSAGE_FORMAT', 'UnsupportedForMessageFormatException', 'The message format version on the broker does not support the request.'],
  [44, 'POLICY_VIOLATION', 'PolicyViolationException', 'Request parameters do not satisfy the configured policy.'],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'OutOfOrderSequenceException', 'The broker received an out of order sequence number.'],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', 'DuplicateSequenceException', 'The broker received a duplicate sequence number.'],
  [47, 'INVALID_PRODUCER_EPOCH', 'InvalidProducerEpochException', 'Producer attempted to produce with an old epoch.'],
  [56, 'KAFKA_STORAGE_ERROR', 'KafkaStorageException', 'Disk error when trying to access log file on the disk.', true],
  [58, 'SASL_AUTHENTICATION_FAILED', 'SaslAuthenticationException', 'SASL Authentication failed.'],
  [59, 'UNKNOWN_PRODUCER_ID', 'UnknownProducerIdException', 'This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question.'],
  [68, 'NON_EMPTY_GROUP', 'GroupNotEmptyException', 'The group is not empty.'],
  [69, 'GROUP_ID_NOT_FOUND', 'GroupIdNotFoundException', 'The group id does not exist.'],
  [73, 'TOPIC_DELETION_DISABLED', 'TopicDeletionDisabledException', 'Topic deletion is disabled.'],
  [74, 'FENCED_LEADER_EPOCH', 'FencedLeaderEpochException', 'The leader epoch in the request is older than the epoch on the broker.', true],
  [75, 'UNKNOWN_LEADER_EPOCH', 'UnknownLeaderEpochException', 'The leader epoch in the request is newer than the epoch on the broker.', true],
  [76, 'UNSUPPORTED_COMPRESSION_TYPE', 'UnsupportedCompressionTypeException', 'The requesting client does not support the compression type of given partition.'],
  [79, 'MEMBER_ID_REQUIRED', 'MemberIdRequiredException', 'The group member needs to have a valid member id before actually entering a consumer group.'],
  [81, 'GROUP_MAX_SIZE_REACHED', 'GroupMaxSizeReachedException', 'The consumer group has reached its max size.'],
  [82, 'FENCED_INSTANCE_ID', 'FencedInstanceIdException', 'The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.'],
  [86, 'GROUP_SUBSCRIBED_TO_TOPIC', 'GroupSubscribedToTopicException', 'Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.'],
  [87, 'INVALID_RECORD', 'InvalidRecordException', 'This record has failed the validation on broker and hence will be rejected.'],
  [88, 'UNSTABLE_OFFSET_COMMIT', 'UnstableOffsetCommitException', 'There are unstable offsets that need to be cleared.', true],
  [89, 'THROTTLING_QUOTA_EXCEEDED', 'ThrottlingQuotaExceededException', 'The throttling quota has been exceeded.', true],
  [90, 'PRODUCER_FENCED', 'ProducerFencedException', 'There is a newer producer with the same transactionalId which fences the current one.'],
  [91, 'RESOURCE_NOT_FOUND', 'ResourceNotFoundException', 'A request illegally referred to a resource that does not exist.'],
  [92, 'DUPLICATE_RESOURCE', 'DuplicateResourceException', 'A request illegally referred to the same resource twice.'],
  [93, 'UNACCEPTABLE_CREDENTIAL', 'UnacceptableCredentialException', 'Requested credential would not meet criteria for acceptability.'],
  [100, 'UNKNOWN_TOPIC_ID', 'UnknownTopicIdException', 'This server does not host this topic ID.', true],
  [103, 'INCONSISTENT_TOPIC_ID', 'InconsistentTopicIdException', 'The log\'s topic ID did not match the topic ID in the request.', true],
] as const satisfies readonly Row[];

type Name = (typeof ROWS)[number][1];
type CodeOf<K extends Name> = Extract<(typeof ROWS)[number], readonly [number, K, ...unknown[]]>[0];

/** Error code by name: `ErrorCode.UNKNOWN_TOPIC_OR_PARTITION` is 3. */
export const ErrorCode = Object.fromEntries(ROWS.map((r) => [r[1], r[0]])) as { readonly [K in Name]: CodeOf<K> };

export interface KafkaErrorInfo {
  readonly code: number;
  readonly name: string;
  /** Simple class name, e.g. `UnknownTopicOrPartitionException`. */
  readonly exception: string;
  readonly message: string;
  readonly retriable: boolean;
}

const BY_CODE = new Map<number, KafkaErrorInfo>(
  (ROWS as readonly Row[]).map(([code, name, exception, message, retriable]) => [code, { code, name, exception, message, retriable: retriable ?? false }]),
);

export function kafkaErrorInfo(code: number): KafkaErrorInfo {
  return BY_CODE.get(code) ?? { code, name: `UNKNOWN_ERROR_${code}`, exception: 'UnknownServerException', message: `Unknown error code ${code}.`, retriable: false };
}

export function errorName(code: number): string {
  return kafkaErrorInfo(code).name;
}

/** The Java exception class for an error name such as `UNKNOWN_TOPIC_OR_PARTITION` (kafkajs's `type`). */
export function javaClassForErrorName(name: string): string | undefined {
  for (const info of BY_CODE.values()) if (info.name === name && info.exception) return `org.apache.kafka.common.errors.${info.exception}`;
  return undefined;
}
