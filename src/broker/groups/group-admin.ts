// Group administration: ListGroups, DescribeGroups (members' metadata and assignment only for a
// Stable group, as Kafka answers) and DeleteGroups (Empty groups only; tombstones for every
// offset and for the group metadata are written before the group is forgotten).
import type { Logger } from '../../log.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { storeGroupError, type GroupDirectory } from './directory.js';
import { GROUP_STATES } from './group-state.js';
import { EMPTY_BYTES } from './member.js';
import type { CoordinatorRecord } from './records.js';
import type { GroupDescription, GroupOverview } from './requests.js';

export class GroupAdmin {
  constructor(
    private readonly groups: GroupDirectory,
    private readonly log: Logger,
  ) {}

  listGroups(): { errorCode: number; groups: GroupOverview[] } {
    if (!this.groups.isActive) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const groups = this.groups.allGroups()
      .filter((g) => !g.is('Dead'))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state }));
    return { errorCode: ErrorCode.NONE, groups };
  }

  describeGroup(groupId: string): GroupDescription {
    const base = { groupId, protocolType: '', protocolData: '', members: [] };
    if (!this.groups.isActive) return { ...base, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: null, state: 'Dead' };
    const group = this.groups.group(groupId);
    if (!group || group.is('Dead')) return { ...base, errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: `Group ${groupId} not found.`, state: 'Dead' };
    const protocol = GROUP_STATES[group.state].describe === 'with-metadata' ? group.protocolName : null;
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: protocol ?? '',
      members: group.members().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: protocol !== null ? m.metadataFor(protocol) : EMPTY_BYTES,
        memberAssignment: protocol !== null ? m.assignment : EMPTY_BYTES,
      })),
    };
  }

  deleteGroups(groupIds: readonly string[]): Array<{ groupId: string; errorCode: number }> {
    return groupIds.map((groupId) => {
      const invalid = this.groups.validateOffsetsRequest(groupId);
      if (invalid !== ErrorCode.NONE) return { groupId, errorCode: invalid };
      const group = this.groups.group(groupId);
      if (!group) return { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
      switch (GROUP_STATES[group.state].deleteGroup) {
        case 'non-empty-group':
          return { groupId, errorCode: ErrorCode.NON_EMPTY_GROUP };
        case 'group-id-not-found':
          return { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
        case 'delete': {
          const records: CoordinatorRecord[] = group.allOffsets().map(([topic, partition]) => ({ type: 'offset', group: groupId, topic, partition, value: null }));
          records.push({ type: 'group', group: groupId, value: null });
          const written = this.groups.appendRecords(groupId, records, this.groups.now());
          if (!written.ok) return { groupId, errorCode: storeGroupError(written.errorCode) };
          group.offsets.clear();
          this.groups.removeGroup(group);
          this.log.info(`Group ${groupId} transitioned to Dead in generation ${group.generationId}; deleted`);
          return { groupId, errorCode: ErrorCode.NONE };
        }
      }
    });
  }
}
