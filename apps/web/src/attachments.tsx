/** 佐证材料 in the console: uploading the files an action carries, and showing the files a report carries. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, fetchFile, post, subscribeSession } from './api';
import type { AttachmentRefResponse, AttachmentResponse } from './api-types';

/** What the file input offers; the server still decides the type from the bytes (and answers 415 otherwise). */
export const ATTACHMENT_ACCEPT = '.pdf,.ofd,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png';

/** A file as any answer carries it: an upload (AttachmentResponse) or an action's reference (AttachmentRefResponse). */
export type AttachmentLike = Pick<AttachmentRefResponse, 'id' | 'name' | 'size' | 'contentType'>;

/**
 * Uploads each file (POST /attachments, one at a time, so `onProgress` can say which) and answers their ids in the
 * order given. `uploaded` remembers files already stored by an earlier attempt of the same dialog: after a refused
 * file is replaced, 确认 again does not send the good ones twice. A refusal names the file and carries the server's
 * Chinese detail (415 for a type it does not take, 413 over the size limit).
 */
async function uploadFiles(
  files: readonly File[],
  onProgress: (text: string) => void,
  uploaded: Map<File, string>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, file] of files.entries()) {
    let id = uploaded.get(file);
    if (!id) {
      onProgress(`上传中…（${index + 1}/${files.length}）${file.name}`);
      const body = new FormData();
      body.append('file', file, file.name);
      try {
        id = (await post<AttachmentResponse>('/attachments', body)).id;
      } catch (caught) {
        throw new ApiError({
          ...(caught instanceof ApiError ? caught.problem : { status: 0 }),
          detail: `「${file.name}」未能上传：${errorMessage(caught)}`,
        });
      }
      uploaded.set(file, id);
    }
    ids.push(id);
  }
  return ids;
}

/** The files an audit event's payload carries (the references its action recorded), or none. */
export function attachmentsIn(payload: Record<string, unknown> | null | undefined): AttachmentLike[] {
  return Array.isArray(payload?.attachments) ? (payload.attachments as AttachmentLike[]) : [];
}

/** The files a form's file inputs hold: an input left empty still sends one nameless, empty file. */
export function chosenFiles(form: FormData): File[] {
  return [...form.values()].filter((value): value is File => typeof value !== 'string' && value.name !== '');
}

/**
 * Uploads for one form or dialog: `progress` says which file is on its way (上传中…), `upload` answers the ids, and
 * a retry after a refusal uploads only the files not stored yet; `forget` starts over (a new dialog, a sent form).
 */
export function useUploader() {
  const [progress, setProgress] = useState<string | null>(null);
  const uploaded = useRef(new Map<File, string>());
  const upload = useCallback(async (files: readonly File[]) => {
    try {
      return await uploadFiles(files, setProgress, uploaded.current);
    } finally {
      setProgress(null);
    }
  }, []);
  const forget = useCallback(() => uploaded.current.clear(), []);
  return { progress, upload, forget };
}

/** `{ attachmentIds }` when the dialog carried files, else `{}`: the field is optional on every body that takes it. */
export const attached = (attachmentIds: readonly string[]) =>
  attachmentIds.length > 0 ? { attachmentIds: [...attachmentIds] } : {};

/**
 * The bytes of a file as an object URL. The content route needs the Bearer token, so a plain <a href> or <img src>
 * cannot load it. Files never change (they are stored by their sha256), so each is fetched once per sign-in; a new
 * session (possibly another unit, which may not read them) starts empty.
 */
const objectUrls = new Map<string, Promise<string>>();
subscribeSession(() => {
  for (const url of objectUrls.values())
    void url.then(
      (href) => URL.revokeObjectURL(href),
      () => undefined,
    );
  objectUrls.clear();
});

function objectUrlOf(id: string): Promise<string> {
  let url = objectUrls.get(id);
  if (!url) {
    url = fetchBlob(id).then((blob) => URL.createObjectURL(blob));
    // A failed fetch (a network error) may succeed next time: do not keep it.
    url.catch(() => objectUrls.delete(id));
    objectUrls.set(id, url);
  }
  return url;
}

async function fetchBlob(id: string): Promise<Blob> {
  // A refusal (403: the reader's unit takes no part in the item) is a problem document with a Chinese detail.
  return (await fetchFile(`/attachments/${id}/content`, '文件无法打开')).blob();
}

const isImage = (file: AttachmentLike) => file.contentType.startsWith('image/');
const isPdf = (file: AttachmentLike) => file.contentType === 'application/pdf';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * 佐证材料 of one report, call or consolidation: images as thumbnails, a PDF opens in a new tab, anything else is
 * saved under its own name. The one list of files the console has.
 */
export function AttachmentList({ files }: { files: readonly AttachmentLike[] }) {
  const [error, setError] = useState<string | null>(null);
  if (files.length === 0) return null;
  return (
    <div className="attachments" data-testid="attachments">
      <span className="attachments-label">佐证材料（{files.length}）：</span>
      <ul>
        {files.map((file) => (
          <li key={file.id} data-attachment={file.id}>
            {isImage(file) && <Thumbnail file={file} />}
            <button type="button" className="file-link" onClick={() => void open(file).catch(failed(setError))}>
              {file.name}
            </button>
            <span className="muted small">
              {' '}
              {formatSize(file.size)}
              {isPdf(file) || isImage(file) ? ' · 新窗口打开' : ' · 下载'}
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

const failed = (setError: (message: string) => void) => (caught: unknown) => setError(errorMessage(caught));

/**
 * A PDF or an image opens in a new tab, anything else downloads under its name. The tab is opened before the
 * fetch, while the click still counts as the user's (a tab opened after an await is a blocked pop-up).
 */
async function open(file: AttachmentLike): Promise<void> {
  if (isPdf(file) || isImage(file)) {
    const tab = window.open('', '_blank');
    // The file's tab has no business with the console's window.
    if (tab) tab.opener = null;
    try {
      const url = await objectUrlOf(file.id);
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    } catch (caught) {
      tab?.close();
      throw caught;
    }
    return;
  }
  const link = document.createElement('a');
  link.href = await objectUrlOf(file.id);
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
}

function Thumbnail({ file }: { file: AttachmentLike }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    objectUrlOf(file.id).then(
      (loaded) => live && setUrl(loaded),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [file.id]);
  if (!url) return <span className="thumbnail placeholder" aria-hidden="true" />;
  return <img className="thumbnail" src={url} alt={file.name} />;
}
