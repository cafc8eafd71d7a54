// One member of a classic group: who it is, the protocols it supports (in its order of
// preference, each with its metadata), its assignment, and the JoinGroup/SyncGroup response it
// is waiting for, if any. A parked response is a callback that must be called exactly once; the
// group and coordinator clear it when they call it.

export interface JoinProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinGroupOutcome {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
  skipAssignment: boolean;
}

export interface SyncGroupOutcome {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export type JoinCallback = (outcome: JoinGroupOutcome) => void;
export type SyncCallback = (outcome: SyncGroupOutcome) => void;

export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

export function joinError(memberId: string, errorCode: number): JoinGroupOutcome {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [], skipAssignment: false };
}

export function syncError(errorCode: number): SyncGroupOutcome {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}

export class GroupMember {
  assignment: Buffer = EMPTY_BYTES;
  awaitingJoin: JoinCallback | null = null;
  awaitingSync: SyncCallback | null = null;
  /** Joined in the rebalance under way and never completed one: its session timer is the new-member join timeout. */
  isNew = false;
  /** The session timer (heartbeat expiry); owned by the coordinator. */
  sessionTimer: NodeJS.Timeout | null = null;

  constructor(
    /** Changes only when a static member rejoins under a new member id. */
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: readonly JoinProtocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  protocolNames(): string[] {
    return this.protocols.map((p) => p.name);
  }

  /** The metadata this member sent for `protocol`; the group only asks for a protocol every member supports. */
  metadataFor(protocol: string): Buffer {
    const p = this.protocols.find((x) => x.name === protocol);
    if (!p) throw new Error(`Member ${this.memberId} does not support protocol ${protocol}`);
    return p.metadata;
  }

  /** Same protocols, same order, same metadata bytes: a rejoin that changes nothing. */
  matches(protocols: readonly JoinProtocol[]): boolean {
    return protocols.length === this.protocols.length && protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata));
  }

  /** Calls the parked JoinGroup response, if any. */
  completeJoin(outcome: JoinGroupOutcome): boolean {
    const cb = this.awaitingJoin;
    if (!cb) return false;
    this.awaitingJoin = null;
    cb(outcome);
    return true;
  }

  /** Calls the parked SyncGroup response, if any. */
  completeSync(outcome: SyncGroupOutcome): boolean {
    const cb = this.awaitingSync;
    if (!cb) return false;
    this.awaitingSync = null;
    cb(outcome);
    return true;
  }
}
