import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  Actor,
  ATTACHMENT_LIMITS,
  AttachmentRef,
  AttachmentSubjectType,
  DomainError,
  ErrorCode,
  isPreviewable,
  mayAttach,
  mayReadAttachment,
  textLength,
  unstorableTextProblem,
  User,
} from '@county/domain';
import { AttachmentRecord, AttachmentRepository } from '@county/persistence';
import type { AttachmentStore } from '@county/storage';
import { ATTACHMENT_STORE } from '../infrastructure/tokens';
import { AttachmentRefResponse, AttachmentResponse } from './attachments.dto';

/** A file on its way out: its stored bytes and what the response headers say of it. */
export interface AttachmentDownload {
  attachment: AttachmentRecord;
  body: Readable;
}

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly attachments: AttachmentRepository,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
  ) {}

  /**
   * One file from a multipart upload (field `file`), streamed to the store as it arrives: the row and its audit
   * event are written only once the bytes are complete and accepted, so a refused or cut-off upload leaves nothing.
   */
  async upload(request: FastifyRequest, user: User): Promise<AttachmentResponse> {
    if (!request.isMultipart()) throw invalid('请以 multipart/form-data 上传，文件放在 file 字段。');
    // The plugin stops at one byte over the limit and marks the stream truncated; the store refuses it (413).
    // preservePath: the name is kept as given (a path-like one too); it is only ever shown, never used as a path.
    const part = await request.file({
      limits: { fileSize: ATTACHMENT_LIMITS.fileBytes, files: 1, fields: 0 },
      preservePath: true,
    });
    if (!part) throw invalid('file: 缺少要上传的文件。');
    if (part.fieldname !== 'file') {
      part.file.resume();
      throw invalid(`file: 文件应放在 file 字段（收到的是 ${part.fieldname}）。`);
    }
    const name = part.filename || '未命名文件';
    const nameProblem =
      unstorableTextProblem(name) ??
      (textLength(name) > ATTACHMENT_LIMITS.nameLength ? `不能超过 ${ATTACHMENT_LIMITS.nameLength} 个字符` : null);
    if (nameProblem) {
      part.file.resume();
      throw invalid(`file: 文件名${nameProblem}`);
    }
    const stored = await this.store.put(part.file, ATTACHMENT_LIMITS.fileBytes).catch((error: unknown) => {
      // The client went away mid-upload: nothing was kept (the store removed its partial file); not a server fault.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE')
        throw invalid('上传中断，文件未保存，请重新上传。');
      throw error;
    });
    const id = randomUUID();
    const record = await this.attachments.record(
      { id, name, ...stored, uploadedBy: user.id, unitId: user.unitId },
      {
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: 'attachment.uploaded',
        subjectType: 'attachment',
        subjectId: id,
        workflowId: null,
        payload: { name, size: stored.size, sha256: stored.sha256, contentType: stored.contentType },
      },
    );
    return view(record);
  }

  async describe(id: string, user: User): Promise<AttachmentResponse> {
    return view(await this.readable(id, user));
  }

  async download(id: string, user: User): Promise<AttachmentDownload> {
    const attachment = await this.readable(id, user);
    return { attachment, body: await this.store.open(attachment.sha256) };
  }

  /**
   * The references an action carries for `attachmentIds` (in the order given): every file must exist and have been
   * uploaded by the actor's own unit — a unit never attaches, and so never reveals, another unit's file.
   */
  async references(actor: Actor, attachmentIds: readonly string[] | undefined): Promise<AttachmentRef[]> {
    if (!attachmentIds || attachmentIds.length === 0) return [];
    if (new Set(attachmentIds).size !== attachmentIds.length) throw invalid('attachmentIds: 同一文件只能附一次。');
    if (attachmentIds.length > ATTACHMENT_LIMITS.filesPerItem)
      throw invalid(`attachmentIds: 最多附 ${ATTACHMENT_LIMITS.filesPerItem} 个文件。`);
    const found = new Map((await this.attachments.findByIds(attachmentIds)).map((file) => [file.id, file]));
    const refs = attachmentIds.map((id) => {
      const file = found.get(id);
      if (!file) throw new DomainError(ErrorCode.ValidationFailed, `attachmentIds: 没有文件 ${id}，请先上传。`);
      if (!mayAttach(actor, file.unitId))
        throw new DomainError(ErrorCode.Forbidden, `attachmentIds: 文件 ${id} 不是本单位上传的，不能引用。`);
      return { id: file.id, name: file.name, size: file.size, sha256: file.sha256, contentType: file.contentType };
    });
    const total = refs.reduce((sum, ref) => sum + ref.size, 0);
    if (total > ATTACHMENT_LIMITS.bytesPerItem) {
      throw new DomainError(
        ErrorCode.PayloadTooLarge,
        `attachmentIds: 附件合计不能超过 ${ATTACHMENT_LIMITS.bytesPerItem / 1024 / 1024} MB。`,
      );
    }
    return refs;
  }

  /** The files attached to one item (any of its actions), oldest first: what its readers may open. */
  async of(subjectType: AttachmentSubjectType, subjectId: string): Promise<AttachmentResponse[]> {
    const files = (await this.attachments.attachedTo(subjectType, [subjectId])).get(subjectId) ?? [];
    return files.sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt)).map(view);
  }

  /**
   * Every stored file re-hashed against the sha256 the audit chain recorded when it was uploaded (the chain's own
   * check shows that record is intact): a byte changed on disk, or a file gone, is reported by name.
   */
  async verifyFiles(): Promise<{
    checked: number;
    broken: Array<{ id: string; name: string; sha256: string; problem: 'changed' | 'missing' }>;
  }> {
    let checked = 0;
    const hashes = new Map<string, string | null>();
    const broken: Array<{ id: string; name: string; sha256: string; problem: 'changed' | 'missing' }> = [];
    for await (const batch of this.attachments.checks()) {
      for (const file of batch) {
        checked += 1;
        const recorded = file.recordedSha256 ?? file.sha256;
        // Files with the same bytes share one stored object: it is hashed once.
        if (!hashes.has(file.sha256)) hashes.set(file.sha256, await this.store.rehash(file.sha256));
        const actual = hashes.get(file.sha256)!;
        if (actual === null) broken.push({ id: file.id, name: file.name, sha256: recorded, problem: 'missing' });
        else if (actual !== recorded || file.sha256 !== recorded)
          broken.push({ id: file.id, name: file.name, sha256: recorded, problem: 'changed' });
      }
    }
    return { checked, broken };
  }

  /**
   * `{attachments}` for an action's request when it names files, `{}` when it names none: a request without files
   * reaches the workflow exactly as before they existed.
   */
  async attached(
    actor: Actor,
    attachmentIds: readonly string[] | undefined,
  ): Promise<{ attachments?: AttachmentRef[] }> {
    const attachments = await this.references(actor, attachmentIds);
    return attachments.length > 0 ? { attachments } : {};
  }

  /** The file, if `user` may read it (mayReadAttachment: its unit, the units of the items it is attached to…). */
  private async readable(id: string, user: User): Promise<AttachmentRecord> {
    const [attachment] = await this.attachments.findByIds([id]);
    if (!attachment) throw new DomainError(ErrorCode.NotFound, `没有文件 ${id}。`);
    const links = await this.attachments.linksOf(id);
    const readerUnitIds = links.flatMap((link) => link.readerUnitIds);
    if (!mayReadAttachment(user, { uploaderUnitId: attachment.unitId, readerUnitIds })) {
      throw new DomainError(ErrorCode.Forbidden, '这份材料不属于本单位参与的事项，无权查看。');
    }
    return attachment;
  }
}

export function view(record: AttachmentRecord): AttachmentResponse {
  return { ...refView(record), unitId: record.unitId, uploadedAt: record.uploadedAt };
}

/** A file as an action's audit event referenced it, as the API shows it (with whether the console can preview it). */
export function refView(ref: AttachmentRef): AttachmentRefResponse {
  const { id, name, size, sha256, contentType } = ref;
  return { id, name, size, sha256, contentType, previewable: isPreviewable(contentType) };
}

function invalid(detail: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, detail);
}
