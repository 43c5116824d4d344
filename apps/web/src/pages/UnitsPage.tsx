import { apiRequest, getPages, post } from '../api';
import type {
  CreateUnitRequest,
  MergeUnitRequest,
  RenameUnitRequest,
  UnitListResponse,
  UnitResponse,
} from '../api-types';
import { ActionButton, ActionSpec, Loading } from '../components';
import { usePolling } from '../hooks';
import { unitKindLabel } from '../labels';

const KINDS = ['county-dept', 'township', 'city-branch', 'court', 'procuratorate'];

/**
 * 单位管理 (admin): the registry with its history — a renamed unit's old names stay as aliases, a merged unit shows
 * the unit that took its work over. The buttons are the unit's allowedActions.
 */
export function UnitsPage() {
  const units = usePolling(() => getPages<UnitListResponse>('/units?limit=500'), 'units', 15_000);
  const all = units.data?.items ?? [];
  const nameOf = (id: string | null) => all.find((unit) => unit.id === id)?.name ?? id ?? '';
  const current = all.filter((unit) => !unit.retired);
  const add: ActionSpec = {
    label: '新增单位',
    title: '新增单位',
    fields: [
      { name: 'id', label: '单位编码（小写字母、数字和 -，发布后不再改变）', type: 'text', required: true },
      { name: 'name', label: '简称（文件中使用的名称）', type: 'text', required: true },
      { name: 'fullName', label: '全称', type: 'text', required: true },
      { name: 'aliases', label: '别名（用、分隔，可不填）', type: 'text' },
      {
        name: 'kind',
        label: '单位类型',
        type: 'select',
        required: true,
        options: KINDS.map((kind) => ({ value: kind, label: unitKindLabel(kind) })),
      },
    ],
    run: (values) =>
      post('/units', {
        id: values.id,
        name: values.name,
        fullName: values.fullName,
        aliases: values.aliases
          ? values.aliases
              .split(/[、,，]/)
              .map((alias) => alias.trim())
              .filter(Boolean)
          : [],
        kind: values.kind as CreateUnitRequest['kind'],
      } satisfies CreateUnitRequest),
  };

  const actionsFor = (unit: UnitResponse): ActionSpec[] =>
    unit.allowedActions.map((action): ActionSpec => {
      switch (action) {
        case 'rename':
          return {
            label: '更名',
            title: `${unit.name}更名（原名称保留为别名，旧文件仍能识别）`,
            fields: [
              { name: 'name', label: '新简称', type: 'text', placeholder: unit.name },
              { name: 'fullName', label: '新全称', type: 'text', placeholder: unit.fullName },
            ],
            run: (values) =>
              apiRequest('PATCH', `/units/${unit.id}`, {
                ...(values.name ? { name: values.name } : {}),
                ...(values.fullName ? { fullName: values.fullName } : {}),
              } satisfies RenameUnitRequest),
          };
        case 'merge':
          return {
            label: '合并',
            title: `把${unit.name}并入另一单位（其账号和未办结工作转由承接单位办理，本单位撤销）`,
            danger: true,
            fields: [
              {
                name: 'intoUnitId',
                label: '承接单位',
                type: 'select',
                required: true,
                options: current
                  .filter((other) => other.id !== unit.id && other.kind === unit.kind)
                  .map((other) => ({ value: other.id, label: other.name })),
              },
            ],
            run: (values) =>
              post(`/units/${unit.id}/merge`, { intoUnitId: values.intoUnitId } satisfies MergeUnitRequest),
          };
        case 'retire':
          return {
            label: '撤销',
            title: `撤销${unit.name}？（仅限没有未办结工作和启用账号的单位）`,
            danger: true,
            run: () => post(`/units/${unit.id}/retire`),
          };
      }
    });

  return (
    <section>
      <div className="section-head">
        <h1>单位管理</h1>
        <ActionButton action={add} onDone={units.refresh} />
      </div>
      {!units.data ? (
        <Loading error={units.error} />
      ) : (
        <table className="responsive" aria-label="单位列表">
          <thead>
            <tr>
              <th>编码</th>
              <th>简称</th>
              <th>全称</th>
              <th>别名</th>
              <th>类型</th>
              <th>状态</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {all.map((unit) => (
              <tr key={unit.id} data-unit={unit.id}>
                <td>{unit.id}</td>
                <td>{unit.name}</td>
                <td>{unit.fullName}</td>
                <td>{unit.aliases.join('、')}</td>
                <td>{unitKindLabel(unit.kind)}</td>
                <td>{unit.retired ? (unit.mergedInto ? `已并入${nameOf(unit.mergedInto)}` : '已撤销') : '在用'}</td>
                <td className="actions">
                  {actionsFor(unit).map((action) => (
                    <ActionButton key={action.label} action={action} onDone={units.refresh} />
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
