// Live sessions (SessionTrackerImpl + ExpiryQueue): ids as ZooKeeper makes them, passwords, and
// deadlines rounded up to the next tickTime boundary so expiry is checked once per tick. A session
// outlives its TCP connection until its deadline; a reconnect with the id and password resumes it.
// Passwords are an HMAC of the id under a secret kept in the data dir, so they survive a restart
// (as ZooKeeper's do) without being derivable from the id, which every Stat.ephemeralOwner shows.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PASSWORD_LENGTH } from '../protocol/constants.js';

export interface Session {
  readonly id: bigint;
  timeout: number;
  /** Epoch ms, a multiple of tickTime. */
  expiresAt: number;
  /** Set once closeSession or expiry has started: no more requests. */
  closing: boolean;
}

/** Session ids print as ZooKeeper prints them: `0x` + unsigned hex. */
export function sessionHex(id: bigint): string {
  return `0x${BigInt.asUintN(64, id).toString(16)}`;
}

/** SessionTrackerImpl.initializeNextSessionId for server id 1 (standalone). */
export function initialSessionId(nowMs: number, serverId = 1n): bigint {
  const shifted = BigInt.asUintN(64, BigInt(nowMs) << 24n) >> 8n;
  return BigInt.asIntN(64, shifted | (serverId << 56n));
}

export class SessionTracker {
  readonly sessions = new Map<bigint, Session>();
  private nextId: bigint;

  constructor(
    private readonly tickTime: number,
    private readonly secret: Buffer = randomBytes(32),
    now = Date.now(),
  ) {
    this.nextId = initialSessionId(now);
  }

  newId(): bigint {
    let id = this.nextId;
    // Never 0 (= new session), never the container marker, never one already in use.
    while (id === 0n || id === -0x8000000000000000n || this.sessions.has(id)) id = BigInt.asIntN(64, id + 1n);
    this.nextId = BigInt.asIntN(64, id + 1n);
    return id;
  }

  password(id: bigint): Buffer {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(id);
    return createHmac('sha256', this.secret).update(b).digest().subarray(0, PASSWORD_LENGTH);
  }

  checkPassword(id: bigint, passwd: Buffer | null): boolean {
    if (!passwd || passwd.length !== PASSWORD_LENGTH) return false;
    return timingSafeEqual(passwd, this.password(id));
  }

  /** ExpiryQueue.roundToNextInterval. */
  deadline(timeout: number, now = Date.now()): number {
    return (Math.floor((now + timeout) / this.tickTime) + 1) * this.tickTime;
  }

  add(id: bigint, timeout: number, now = Date.now()): Session {
    const s: Session = { id, timeout, expiresAt: this.deadline(timeout, now), closing: false };
    this.sessions.set(id, s);
    return s;
  }

  get(id: bigint): Session | undefined {
    return this.sessions.get(id);
  }

  touch(id: bigint, now = Date.now()): boolean {
    const s = this.sessions.get(id);
    if (!s || s.closing) return false;
    s.expiresAt = this.deadline(s.timeout, now);
    return true;
  }

  remove(id: bigint): void {
    this.sessions.delete(id);
  }

  /** Sessions whose deadline has passed and that are not already closing. */
  expired(now = Date.now()): Session[] {
    const out: Session[] = [];
    for (const s of this.sessions.values()) if (!s.closing && s.expiresAt <= now) out.push(s);
    return out;
  }
}
