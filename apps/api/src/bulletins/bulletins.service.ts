import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import {
  BulletinContent,
  BulletinTrigger,
  DomainError,
  ErrorCode,
  isFuturePeriod,
  parseBulletinPeriod,
  User,
} from '@county/domain';
import { BulletinRecord, BulletinRepository, Keyed, PageRequest } from '@county/persistence';
import { writeBulletin } from '@county/reports';
import type { AttachmentStore } from '@county/storage';
import { ATTACHMENT_STORE } from '../infrastructure/tokens';

/** A bulletin is a few dozen kilobytes; the cap only stops a runaway render from filling the store. */
const MAX_BULLETIN_BYTES = 20 * 1024 * 1024;

export interface BulletinDownload {
  bulletin: BulletinRecord;
  body: Readable;
}

/**
 * 督查通报 (issue 17). Every signed-in user may read them — a 通报 is sent to every unit, and the dashboard it is made
 * from is open to all; only the supervision office generates one by hand (the role gate on the route).
 */
@Injectable()
export class BulletinsService {
  constructor(
    private readonly bulletins: BulletinRepository,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
  ) {}

  async generate(user: User, periodText: string, now = new Date()): Promise<BulletinRecord> {
    const period = parseBulletinPeriod(periodText);
    if (!period) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `period: “${periodText}”不是有效的通报期间，应为月份（如 2026-11）或季度（如 2026-Q4）。`,
      );
    }
    if (isFuturePeriod(period, now)) {
      throw new DomainError(ErrorCode.ValidationFailed, `period: ${period.label}尚未开始，不能生成通报。`);
    }
    const stored = await this.bulletins.generate(
      { period, trigger: BulletinTrigger.Manual, actor: { userId: user.id, unitId: user.unitId }, now },
      (content) => this.render(content),
    );
    // A manual bulletin is never refused by the once-per-period index (that is for scheduled ones only).
    if (!stored) throw new DomainError(ErrorCode.Conflict, '通报未能保存，请重试。');
    return stored;
  }

  list(page: PageRequest): Promise<Keyed<BulletinRecord>> {
    return this.bulletins.list(page);
  }

  async get(id: string): Promise<BulletinRecord> {
    const bulletin = await this.bulletins.find(id);
    if (!bulletin) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的通报。`);
    return bulletin;
  }

  async download(id: string): Promise<BulletinDownload> {
    const bulletin = await this.get(id);
    return { bulletin, body: await this.store.open(bulletin.fileSha256) };
  }

  private async render(content: BulletinContent): Promise<{ sha256: string; size: number }> {
    const bytes = await writeBulletin(content);
    const stored = await this.store.put(Readable.from([bytes]), MAX_BULLETIN_BYTES);
    return { sha256: stored.sha256, size: stored.size };
  }
}
