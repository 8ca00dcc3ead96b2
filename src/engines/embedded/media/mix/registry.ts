/**
 * Named channels: created on first join, deleted when the last member leaves.
 * Events: 'channel-created' (name), 'channel-deleted' (name), 'member-joined' (name, Member), 'member-left' (name, Member, reason).
 */
import { EventEmitter } from 'node:events';
import type { LegLike } from '../play/pcm.js';
import { Channel, type LeaveReason, type Member, type MemberOptions } from './channel.js';

/** All channels of one engine. */
export class ChannelRegistry extends EventEmitter {
  private readonly channels = new Map<string, Channel>();

  /** The channel called `name`, if it has members. */
  get(name: string): Channel | undefined {
    return this.channels.get(name);
  }

  /** Names of the live channels. */
  names(): string[] {
    return [...this.channels.keys()];
  }

  /** Join `leg` to channel `name` (created if needed). */
  join(name: string, leg: LegLike, opts: MemberOptions = {}): Member {
    let ch = this.channels.get(name);
    if (!ch) {
      const created = new Channel(name);
      ch = created;
      this.channels.set(name, created);
      created.on('member-joined', (m: Member) => this.emit('member-joined', name, m));
      created.on('member-left', (m: Member, r: LeaveReason) => this.emit('member-left', name, m, r));
      created.on('empty', () => {
        if (this.channels.get(name) === created) {
          this.channels.delete(name);
          created.removeAllListeners();
          this.emit('channel-deleted', name);
        }
      });
      this.emit('channel-created', name);
    }
    return ch.add(leg, opts);
  }

  /** Remove a member from its channel. */
  leave(member: Member, reason: LeaveReason = 'left'): void {
    member.channel.remove(member, reason);
  }

  /** Mute a member: the others stop hearing it. */
  mute(member: Member): void {
    member.muted = true;
  }

  /** Unmute a member. */
  unmute(member: Member): void {
    member.muted = false;
  }

  /** Remove every member of `name`; returns how many left. */
  kick(name: string): number {
    const ch = this.channels.get(name);
    if (!ch) return 0;
    const all = [...ch.members];
    for (const m of all) ch.remove(m, 'kicked');
    return all.length;
  }
}
