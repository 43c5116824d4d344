import { FormEvent, useState } from 'react';
import { apiRequest, errorMessage, getPages, post } from '../api';
import type { ChannelEndpointListResponse, ChannelEndpointRequest, ChannelEndpointResponse } from '../api-types';
import { ActionButton, ErrorText, Loading } from '../components';
import { usePolling, useUnitName, useUnits } from '../hooks';
import { channelKindLabel } from '../labels';
import { problemFields } from './SettingsPage';

const KINDS: ChannelEndpointRequest['kind'][] = ['wecom', 'dingtalk', 'webhook'];
/** The form's value for a county-wide endpoint (unitId null), which only a webhook may be. */
const COUNTY = '';

/** 通知渠道 (admin): the robots and webhooks each unit's notifications are pushed to. */
export function ChannelsPage() {
  const list = usePolling(
    () => getPages<ChannelEndpointListResponse>('/channel-endpoints?limit=500'),
    'channels',
    15_000,
  );
  const unitName = useUnitName();
  // null: no form; 'new': adding; else the endpoint being changed.
  const [editing, setEditing] = useState<ChannelEndpointResponse | 'new' | null>(null);
  const items = list.data?.items ?? [];
  const groups = new Map<string, ChannelEndpointResponse[]>();
  for (const item of items) {
    const key = item.unitId ?? COUNTY;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const groupName = (key: string) => (key === COUNTY ? '全县（仅 Webhook）' : unitName(key));
  const done = () => {
    setEditing(null);
    list.refresh();
  };
  return (
    <section>
      <div className="section-head">
        <h1>通知渠道</h1>
        {editing === null && (
          <button type="button" onClick={() => setEditing('new')}>
            新增渠道
          </button>
        )}
      </div>
      <p className="muted">
        单位的通知会推送到其企业微信、钉钉群机器人；全县 Webhook 接收所有通知（例如 OA 或短信网关）。
      </p>
      {editing !== null && (
        <ChannelForm
          key={editing === 'new' ? 'new' : editing.id}
          endpoint={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={done}
        />
      )}
      {!list.data ? (
        <Loading error={list.error} />
      ) : items.length === 0 ? (
        <p className="muted">尚未配置任何通知渠道。</p>
      ) : (
        [...groups.entries()].map(([key, endpoints]) => (
          <div key={key} data-testid="channel-group" data-unit={key}>
            <h2>{groupName(key)}</h2>
            <table className="responsive" aria-label={`${groupName(key)}的通知渠道`}>
              <thead>
                <tr>
                  <th>名称</th>
                  <th>类型</th>
                  <th>地址</th>
                  <th>密钥</th>
                  <th>状态</th>
                  <th>操作</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((endpoint) => (
                  <tr key={endpoint.id} data-channel={endpoint.id}>
                    <td data-label="名称">{endpoint.name}</td>
                    <td data-label="类型">{channelKindLabel(endpoint.kind)}</td>
                    <td data-label="地址" className="break">
                      {endpoint.url}
                    </td>
                    <td data-label="密钥">{endpoint.hasSecret ? '已设置' : '未设置'}</td>
                    <td data-label="状态">{endpoint.enabled ? '启用' : '停用'}</td>
                    <td data-label="操作" className="actions">
                      <button type="button" className="secondary" onClick={() => setEditing(endpoint)}>
                        修改
                      </button>
                      <ActionButton
                        action={{
                          label: '删除',
                          title: `删除通知渠道“${endpoint.name}”？删除后不再向其推送。`,
                          danger: true,
                          run: () => apiRequest('DELETE', `/channel-endpoints/${endpoint.id}`),
                        }}
                        onDone={list.refresh}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
    </section>
  );
}

function ChannelForm({
  endpoint,
  onCancel,
  onSaved,
}: {
  endpoint: ChannelEndpointResponse | null;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const units = useUnits();
  const [unitId, setUnitId] = useState(endpoint ? (endpoint.unitId ?? COUNTY) : (units[0]?.id ?? COUNTY));
  const [kind, setKind] = useState<ChannelEndpointRequest['kind']>(endpoint?.kind ?? 'wecom');
  const [name, setName] = useState(endpoint?.name ?? '');
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [secret, setSecret] = useState('');
  const [enabled, setEnabled] = useState(endpoint?.enabled ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    const body: ChannelEndpointRequest = {
      unitId: unitId === COUNTY ? null : unitId,
      kind,
      name: name.trim(),
      url: url.trim(),
      enabled,
      // On a change an empty secret box keeps the stored secret: the field is left out.
      ...(secret ? { secret } : endpoint ? {} : { secret: null }),
    };
    try {
      if (endpoint) await apiRequest('PUT', `/channel-endpoints/${endpoint.id}`, body);
      else await post('/channel-endpoints', body);
      onSaved();
    } catch (caught) {
      setFields(problemFields(caught));
      setError(`保存失败：${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card channel-form" onSubmit={submit} aria-label={endpoint ? '修改通知渠道' : '新增通知渠道'}>
      <h2>{endpoint ? `修改“${endpoint.name}”` : '新增通知渠道'}</h2>
      <div className="field">
        <label htmlFor="channel-unit">接收单位</label>
        <select id="channel-unit" value={unitId} onChange={(event) => setUnitId(event.target.value)}>
          <option value={COUNTY}>全县（仅 Webhook）</option>
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {unit.name}
            </option>
          ))}
        </select>
        <ErrorText message={fields.unitId} />
      </div>
      <div className="field">
        <label htmlFor="channel-kind">类型</label>
        <select
          id="channel-kind"
          value={kind}
          onChange={(event) => setKind(event.target.value as ChannelEndpointRequest['kind'])}
        >
          {KINDS.map((value) => (
            <option key={value} value={value}>
              {channelKindLabel(value)}
            </option>
          ))}
        </select>
        <ErrorText message={fields.kind} />
      </div>
      <div className="field">
        <label htmlFor="channel-name">名称</label>
        <input id="channel-name" value={name} required onChange={(event) => setName(event.target.value)} />
        <ErrorText message={fields.name} />
      </div>
      <div className="field">
        <label htmlFor="channel-url">地址（URL）</label>
        <input
          id="channel-url"
          value={url}
          required
          onChange={(event) => setUrl(event.target.value)}
          placeholder="https://…"
        />
        <ErrorText message={fields.url} />
      </div>
      <div className="field">
        <label htmlFor="channel-secret">密钥（钉钉加签 SEC…；Webhook 签名密钥）</label>
        <input
          id="channel-secret"
          type="password"
          autoComplete="off"
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          placeholder={endpoint?.hasSecret ? '已设置，留空不变' : undefined}
        />
        <ErrorText message={fields.secret} />
      </div>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        启用
      </label>
      <ErrorText message={error} />
      <div className="dialog-buttons">
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          取消
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '保存中…' : '保存'}
        </button>
      </div>
    </form>
  );
}
