import { useState } from 'react';
import { getPages, post } from '../api';
import type { DeliveryListResponse } from '../api-types';
import { ActionButton, LoadMore, Loading } from '../components';
import { formatDateTime } from '../format';
import { usePolling } from '../hooks';
import { deliveryChannelLabel, deliveryStatusLabel } from '../labels';

const STATUSES = ['dead', 'pending', 'sent', 'skipped'] as const;

/** 投递记录 (admin): the e-mails and robot messages, dead letters first, each dead one sent again by hand. */
export function DeliveriesPage() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('dead');
  // Pages shown: 加载更多 adds one (older deliveries), another status starts again from the first.
  const [pages, setPages] = useState(1);
  const list = usePolling(
    () => getPages<DeliveryListResponse>(`/deliveries?status=${status}&limit=200`, pages),
    `deliveries-${status}-${pages}`,
    10_000,
  );
  return (
    <section>
      <div className="section-head">
        <h1>投递记录</h1>
        <select
          aria-label="投递状态"
          value={status}
          onChange={(event) => (setStatus(event.target.value as (typeof STATUSES)[number]), setPages(1))}
        >
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {deliveryStatusLabel(value)}
            </option>
          ))}
        </select>
      </div>
      {!list.data ? (
        <Loading error={list.error} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">没有{deliveryStatusLabel(status)}记录。</p>
      ) : (
        <div className="table-scroll">
          <table className="responsive" aria-label="投递记录">
            <thead>
              <tr>
                <th>通知</th>
                <th>渠道</th>
                <th>地址</th>
                <th>尝试次数</th>
                <th>最近错误</th>
                <th>更新时间</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((delivery) => (
                <tr key={delivery.id} data-delivery={delivery.id}>
                  <td data-label="通知">{delivery.notificationTitle}</td>
                  <td data-label="渠道">{deliveryChannelLabel(delivery.channel)}</td>
                  <td data-label="地址" className="break">
                    {delivery.address}
                  </td>
                  <td data-label="尝试次数">
                    {delivery.attempts}
                    {delivery.retries > 0 && <span className="muted small">（人工重发 {delivery.retries} 次）</span>}
                  </td>
                  <td data-label="最近错误" className="break">
                    {delivery.lastError ?? '—'}
                  </td>
                  <td data-label="更新时间">{formatDateTime(delivery.updatedAt)}</td>
                  <td data-label="操作">
                    {delivery.status === 'dead' && (
                      <ActionButton
                        action={{
                          label: '重新发送',
                          title: `重新发送“${delivery.notificationTitle}”到 ${delivery.address}？`,
                          run: () => post(`/deliveries/${delivery.id}/retry`),
                        }}
                        onDone={list.refresh}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <LoadMore more={list.data.more} onMore={() => setPages(pages + 1)} />
        </div>
      )}
    </section>
  );
}
