import { request, useStack } from '@county/test-kit';

/** Read off the 牵头单位 and 责任单位 columns of seeds/pingluo-2021-grassroots-reform-task-list.txt by hand. */
const UNITS_NAMED_IN_SEED_LIST = [
  '县委编办',
  '县自然资源局',
  '县农业农村局',
  '县水务局',
  '县人社局',
  '县审批局',
  '县政府办公室',
  '县委网信办',
  '县公安局',
  '县民政局',
  '县卫生健康局',
  '县市场监管局',
  '县医保局',
  '县残联',
  '县税务局',
  '县财政局',
  '县司法局',
  '县住建局',
  '县交通局',
  '县应急局',
  '市生态环境局平罗分局',
  '县发改局',
  '县委政法委',
  '县委组织部',
  '县人民法院',
  '县检察院',
  '县人大常委会法工委',
  '县委办公室',
  '县委政研室',
];
const TOWNSHIPS = [
  '城关镇',
  '黄渠桥镇',
  '宝丰镇',
  '头闸镇',
  '姚伏镇',
  '崇岗镇',
  '陶乐镇',
  '高庄乡',
  '灵沙乡',
  '渠口乡',
  '通伏乡',
  '高仁乡',
  '红崖子乡',
];

interface UnitList {
  items: Array<{ id: string; name: string; kind: string; fullName: string; aliases: string[] }>;
  total: number;
}

describe('GET /api/v1/units', () => {
  const stack = useStack();
  let units: UnitList;

  beforeAll(async () => {
    const response = await stack.as<UnitList>('chengguan.staff', 'GET', '/units');
    expect(response.status).toBe(200);
    units = response.body;
  });

  it('requires a token', async () => {
    expect((await request(stack.baseUrl, 'GET', '/units')).status).toBe(401);
  });

  it('lists exactly the 13 townships as townships', () => {
    const townships = units.items.filter((unit) => unit.kind === 'township').map((unit) => unit.name);
    expect(townships.sort()).toEqual([...TOWNSHIPS].sort());
  });

  it.each(UNITS_NAMED_IN_SEED_LIST)('has %s', (name) => {
    expect(units.items.map((unit) => unit.name)).toContain(name);
  });

  it('has the supervision office and the leadership pseudo-unit, and the city branch is not a county department', () => {
    const byName = new Map(units.items.map((unit) => [unit.name, unit]));
    expect(byName.get('县委督查室')?.kind).toBe('supervision');
    expect(byName.get('县领导')?.kind).toBe('leadership');
    expect(byName.get('市生态环境局平罗分局')?.kind).toBe('city-branch');
    expect(byName.get('县人民法院')?.kind).toBe('court');
    expect(byName.get('县检察院')?.kind).toBe('procuratorate');
    expect(units.total).toBe(units.items.length);
  });
});
