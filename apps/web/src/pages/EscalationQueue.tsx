import { getPages } from '../api';
import { escalationButtons } from '../actions';
import { ActionButton, Link, Loading } from '../components';
import { formatDateTime } from '../format';
import { usePolling, useUnitName, useUnits } from '../hooks';
import { escalationLevelLabel } from '../labels';
import type { EscalationListResponse } from '../api-types';

/** 升级督办队列 on the board: what the ladder raised and nobody has handled yet. */
export function EscalationQueue({ onChanged }: { onChanged: () => void }) {
  const queue = usePolling(() => getPages<EscalationListResponse>('/escalations?open=true&limit=500'), 'escalations');
  const unitName = useUnitName();
  const units = useUnits();
  return (
    <>
      <h2>升级督办队列 {queue.data && <span className="count">{queue.data.items.length}</span>}</h2>
      {!queue.data ? (
        <Loading error={queue.error} />
      ) : queue.data.items.length === 0 ? (
        <p className="muted">没有待处理的升级事项。</p>
      ) : (
        <div className="cards" data-testid="escalations">
          {queue.data.items.map((escalation) => (
            <article className={`card item level-${escalation.level}`} key={escalation.id}>
              <div className="item-head">
                <span className="tag urgent">{escalationLevelLabel(String(escalation.level))}</span>
                <span className="tag">{escalation.subjectType === 'call' ? '乡呼县应' : '任务'}</span>
              </div>
              <h3>
                {escalation.taskId ? (
                  <Link to={`/tasks/${escalation.taskId}`}>{unitName(escalation.unitId)}</Link>
                ) : (
                  unitName(escalation.unitId)
                )}
              </h3>
              <p className="meta">
                <span>{escalation.reason}</span>
                <span>升级时间：{formatDateTime(escalation.createdAt)}</span>
              </p>
              <div className="actions">
                {escalationButtons(escalation, units).map((action) => (
                  <ActionButton
                    key={action.label}
                    action={action}
                    onDone={() => {
                      queue.refresh();
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
