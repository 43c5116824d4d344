import { getPages } from '../api';
import { extensionButtons } from '../actions';
import { ActionButton, Link, Loading } from '../components';
import { formatDateTime } from '../format';
import { usePolling, useUnitName } from '../hooks';
import type { ExtensionRequestListResponse } from '../api-types';

/** 延期申请 on the board: the requests waiting for the supervision office's decision. */
export function ExtensionRequests({ onChanged }: { onChanged: () => void }) {
  const requests = usePolling(
    () => getPages<ExtensionRequestListResponse>('/extension-requests?limit=500'),
    'extensions',
  );
  const unitName = useUnitName();
  return (
    <>
      <h2>延期申请 {requests.data && <span className="count">{requests.data.items.length}</span>}</h2>
      {!requests.data ? (
        <Loading error={requests.error} />
      ) : requests.data.items.length === 0 ? (
        <p className="muted">没有待审批的延期申请。</p>
      ) : (
        <div className="cards">
          {requests.data.items.map((request) => (
            <article className="card item" key={request.id}>
              <h3>
                <Link to={`/tasks/${request.taskId}`}>
                  {request.taskNo}. {request.taskTitle}
                </Link>
              </h3>
              <p className="meta">
                <span>申请单位：{unitName(request.unitId)}</span>
                <span>
                  {formatDateTime(request.currentDueAt)} → {formatDateTime(request.requestedDueAt)}
                </span>
              </p>
              <p>理由：{request.reason}</p>
              <div className="actions">
                {extensionButtons(request).map((action) => (
                  <ActionButton
                    key={action.label}
                    action={action}
                    onDone={() => {
                      requests.refresh();
                      onChanged();
                    }}
                  />
                ))}
              </div>
            </article>
          ))}
        </div>
      )}
    </>
  );
}
