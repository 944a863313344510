/**
 * A deterministic generator of realistic convenience-store catalogs: the
 * sample catalog in resources/catalog (2,400 products) and the 100,000-product
 * catalog of the sale benchmark come from the same function and seed.
 * Names are brand + product + size per category; barcodes are GS1 "69"
 * (China) EAN-13s with valid check digits, unique by construction; weighed
 * goods (fruit, vegetables, bulk snacks) carry a PLU for scale labels and a
 * price per kg; VAT follows the category (13 % goods, 9 % farm produce, dairy,
 * grain and print, 6 % catering, 0 % exempt vegetables). A PRNG (mulberry32)
 * makes every run identical.
 */
import { withCheckDigit } from '../src/core/barcode';
import { mulberry32 } from '../src/core/random';
import type { Member, Product, Promotion, VatRate } from '../src/shared/contract/catalog';

interface Family {
  category: string;
  vat: VatRate;
  unit: string;
  brands: string[];
  kinds: Array<[string, number, number]>;
  sizes: string[];
}

const FAMILIES: Family[] = [
  {
    category: '饮料',
    vat: 1300,
    unit: '瓶',
    brands: ['农夫山泉', '怡宝', '康师傅', '统一', '可口可乐', '百事', '元气森林', '娃哈哈', '东鹏', '王老吉', '加多宝', '维他', '三得利', '脉动', '雀巢', '冰露', '屈臣氏', '今麦郎', '汇源', '美汁源'],
    kinds: [['饮用天然水', 150, 300], ['纯净水', 100, 250], ['冰红茶', 300, 450], ['绿茶', 300, 450], ['乌龙茶', 400, 600], ['柠檬茶', 350, 550], ['橙汁', 350, 700], ['白桃气泡水', 450, 650], ['功能饮料', 500, 800], ['苏打水', 300, 500], ['酸梅汤', 350, 550], ['咖啡饮料', 600, 900], ['椰汁', 450, 700], ['凉茶', 350, 550], ['可乐', 300, 500]],
    sizes: ['330ml', '450ml', '500ml', '550ml', '600ml', '1L', '1.5L'],
  },
  {
    category: '乳制品',
    vat: 900,
    unit: '盒',
    brands: ['伊利', '蒙牛', '光明', '君乐宝', '三元', '新希望', '卡士', '简爱', '安慕希', '纯甄'],
    kinds: [['纯牛奶', 300, 600], ['低脂牛奶', 350, 650], ['原味酸奶', 500, 900], ['草莓酸奶', 550, 950], ['早餐奶', 350, 600], ['乳酸菌饮品', 250, 500], ['鲜牛奶', 600, 1200]],
    sizes: ['200ml', '250ml', '205g', '450ml', '950ml'],
  },
  {
    category: '零食',
    vat: 1300,
    unit: '袋',
    brands: ['乐事', '可比克', '旺旺', '奥利奥', '好丽友', '三只松鼠', '良品铺子', '卫龙', '徐福记', '达利园', '上好佳', '盼盼', '洽洽', '甘源', '德芙', '士力架', '绿箭', '炫迈', '大白兔', '喜之郎'],
    kinds: [['原味薯片', 600, 1000], ['番茄味薯片', 600, 1000], ['夹心饼干', 500, 900], ['苏打饼干', 450, 800], ['辣条', 200, 500], ['每日坚果', 1500, 3500], ['瓜子', 700, 1500], ['牛奶巧克力', 800, 1800], ['口香糖', 500, 1200], ['奶糖', 800, 1500], ['果冻', 600, 1200], ['蛋黄派', 800, 1500], ['雪饼', 500, 1000], ['鱿鱼丝', 1000, 2000]],
    sizes: ['40g', '70g', '100g', '135g', '200g', '25g*6'],
  },
  {
    category: '方便食品',
    vat: 1300,
    unit: '袋',
    brands: ['康师傅', '统一', '今麦郎', '白象', '日清', '农心', '海底捞', '自嗨锅', '拉面说', '陈克明'],
    kinds: [['红烧牛肉面', 350, 600], ['老坛酸菜牛肉面', 350, 600], ['香辣牛肉面', 350, 600], ['鲜虾鱼板面', 400, 650], ['自热火锅', 2500, 4000], ['螺蛳粉', 1200, 1800], ['挂面', 500, 1000], ['杯面', 450, 700]],
    sizes: ['单袋', '桶装', '5连包', '1kg'],
  },
  {
    category: '粮油调味',
    vat: 900,
    unit: '袋',
    brands: ['金龙鱼', '福临门', '鲁花', '五得利', '十月稻田', '海天', '李锦记', '老干妈', '太太乐', '恒顺'],
    kinds: [['东北大米', 2500, 6000], ['花生油', 5000, 12000], ['菜籽油', 4000, 9000], ['小麦粉', 1500, 3500]],
    sizes: ['1kg', '2.5kg', '5kg', '900ml', '1.8L'],
  },
  {
    category: '调味品',
    vat: 1300,
    unit: '瓶',
    brands: ['海天', '李锦记', '老干妈', '太太乐', '恒顺', '厨邦', '千禾', '加加'],
    kinds: [['生抽', 800, 1800], ['老抽', 800, 1800], ['香醋', 600, 1500], ['风味豆豉', 900, 1500], ['鸡精', 700, 1400], ['蚝油', 900, 1800]],
    sizes: ['200g', '500ml', '750ml', '1.28L'],
  },
  {
    category: '日用品',
    vat: 1300,
    unit: '件',
    brands: ['清风', '维达', '心相印', '高露洁', '佳洁士', '云南白药', '海飞丝', '飘柔', '舒肤佳', '蓝月亮', '立白', '妮维雅', '曼秀雷敦', '南孚', '得力'],
    kinds: [['抽纸', 500, 1500], ['卷纸', 1200, 3500], ['湿巾', 500, 1200], ['牙膏', 800, 2500], ['牙刷', 600, 2000], ['洗发水', 2500, 5500], ['沐浴露', 2500, 5000], ['洗衣液', 2000, 5000], ['润唇膏', 1500, 3500], ['5号电池', 1000, 2500], ['中性笔', 200, 600]],
    sizes: ['单件', '3包装', '400ml', '750ml', '2kg'],
  },
  {
    category: '酒类',
    vat: 1300,
    unit: '瓶',
    brands: ['青岛', '雪花', '百威', '哈尔滨', '燕京', '乐堡', '江小白', '牛栏山', '红星', '长城'],
    kinds: [['纯生啤酒', 500, 900], ['经典啤酒', 400, 800], ['二锅头', 1000, 2500], ['干红葡萄酒', 4000, 12000], ['果味酒', 1500, 3000]],
    sizes: ['330ml', '500ml', '100ml', '750ml'],
  },
  {
    category: '鲜食',
    vat: 900,
    unit: '个',
    brands: ['罗森', '便利蜂', '全家', '7-11', '好德', '美宜佳'],
    kinds: [['金枪鱼饭团', 550, 750], ['照烧鸡饭团', 550, 750], ['火腿三明治', 750, 1100], ['鸡排便当', 1500, 2200], ['肉松面包', 500, 900], ['紫米面包', 450, 800], ['茶叶蛋', 150, 250]],
    sizes: ['', '大份', '双拼'],
  },
  {
    category: '现做',
    vat: 600,
    unit: '份',
    brands: ['店制'],
    kinds: [['关东煮萝卜', 200, 300], ['关东煮鱼丸', 300, 500], ['烤肠', 400, 600], ['美式咖啡', 800, 1200], ['拿铁咖啡', 1200, 1600], ['热豆浆', 300, 500]],
    sizes: ['小杯', '中杯', '大杯', '单份'],
  },
  {
    category: '报刊',
    vat: 900,
    unit: '本',
    brands: ['读者', '意林', '青年文摘', '南方周末', '故事会'],
    kinds: [['杂志', 600, 1500], ['报纸', 200, 500]],
    sizes: ['当期'],
  },
];

const WEIGHED: Array<[string, string, VatRate, number]> = [
  ['红富士苹果', '水果', 900, 1280],
  ['香蕉', '水果', 900, 698],
  ['砂糖橘', '水果', 900, 998],
  ['巨峰葡萄', '水果', 900, 1580],
  ['皇冠梨', '水果', 900, 798],
  ['火龙果', '水果', 900, 1298],
  ['麒麟西瓜', '水果', 900, 398],
  ['猕猴桃', '水果', 900, 1680],
  ['圣女果', '水果', 900, 1398],
  ['芒果', '水果', 900, 1598],
  ['西红柿', '蔬菜', 0, 598],
  ['黄瓜', '蔬菜', 0, 498],
  ['土豆', '蔬菜', 0, 298],
  ['大白菜', '蔬菜', 0, 198],
  ['胡萝卜', '蔬菜', 0, 358],
  ['青椒', '蔬菜', 0, 698],
  ['生菜', '蔬菜', 0, 798],
  ['西兰花', '蔬菜', 0, 998],
  ['散装开心果', '零食', 1300, 8800],
  ['散装腰果', '零食', 1300, 9800],
  ['散装牛肉干', '零食', 1300, 12800],
  ['散装话梅', '零食', 1300, 5600],
  ['散装软糖', '零食', 1300, 4800],
  ['散装饼干', '零食', 1300, 3600],
  ['称重鸡蛋', '生鲜', 900, 1198],
  ['猪肉馅', '生鲜', 900, 2800],
  ['鸡胸肉', '生鲜', 900, 2200],
  ['鲜虾', '生鲜', 900, 6800],
  ['豆腐', '生鲜', 900, 598],
  ['散装大米', '粮油调味', 900, 698],
];

export interface SampleCatalog {
  products: Product[];
  promotions: Promotion[];
  members: Member[];
}

const always = { from: null, to: null, dailyFromMinute: null, dailyToMinute: null };

export function generateCatalog(count: number, seed = 20260601): SampleCatalog {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const products: Product[] = [];
  const names = new Set<string>();
  for (const [i, [name, category, vat, price]] of WEIGHED.entries()) {
    const sku = `F${String(i + 1).padStart(5, '0')}`;
    products.push({ sku, name, barcodes: [], plu: String(201 + i), category, unit: 'kg', price, memberPrice: i % 4 === 0 ? price - Math.round(price / 10) : null, vatRate: vat, weighed: true, active: true });
    names.add(name);
  }
  let serial = 0;
  while (products.length < count) {
    const fam = pick(FAMILIES);
    const brand = pick(fam.brands);
    const [kind, lo, hi] = pick(fam.kinds);
    const size = pick(fam.sizes);
    let name = `${brand}${kind}${size}`;
    if (names.has(name)) {
      if (count <= 5000) continue;
      name = `${name} ${String.fromCharCode(65 + Math.floor(rnd() * 26))}${1 + Math.floor(rnd() * 999)}`;
      if (names.has(name)) continue;
    }
    names.add(name);
    serial++;
    const company = 10000 + Math.floor(serial / 90000) * 7 + (fam.brands.indexOf(brand) % 7);
    const barcode = withCheckDigit(`69${String(company).padStart(5, '0')}${String(serial % 100000).padStart(5, '0')}`);
    const price = Math.round((lo + rnd() * (hi - lo)) / 10) * 10 - (rnd() < 0.5 ? 10 : 0) + (rnd() < 0.3 ? 8 : 0);
    const member = rnd() < 0.08 ? price - Math.max(10, Math.round(price / 100) * 10) : null;
    const noBarcode = fam.category === '现做';
    products.push({
      sku: `G${String(serial).padStart(6, '0')}`,
      name,
      barcodes: noBarcode ? [] : [barcode],
      plu: noBarcode ? String(500 + serial) : null,
      category: fam.category,
      unit: fam.unit,
      price: Math.max(50, price),
      memberPrice: member !== null && member > 0 ? member : null,
      vatRate: fam.vat,
      weighed: false,
      active: true,
    });
  }
  const skusWhere = (f: (p: Product) => boolean, n: number) => products.filter(f).slice(0, n).map((p) => p.sku);
  const promotions: Promotion[] = [
    { id: 'P001', name: '可乐2瓶5元', kind: 'multi-buy', active: true, membersOnly: false, window: always, items: { skus: skusWhere((p) => p.name.includes('可乐') && p.price <= 350, 20), categories: [] }, qty: 2, price: 500 },
    { id: 'P002', name: '方便面第二件半价', kind: 'nth-off', active: true, membersOnly: false, window: always, items: { skus: [], categories: ['方便食品'] }, n: 2, percentOff: 5000 },
    { id: 'P003', name: '薯片买二送一', kind: 'buy-get', active: true, membersOnly: false, window: always, buy: { skus: skusWhere((p) => p.name.includes('薯片'), 40), categories: [] }, buyQty: 2, get: { skus: skusWhere((p) => p.name.includes('薯片'), 40), categories: [] }, getQty: 1 },
    { id: 'P004', name: '饭团+饮料 9.90', kind: 'combo', active: true, membersOnly: false, window: always, components: [{ skus: skusWhere((p) => p.name.includes('饭团'), 40), categories: [] }, { skus: [], categories: ['饮料'] }], price: 990 },
    { id: 'P005', name: '乳制品会员第二件8折', kind: 'nth-off', active: true, membersOnly: true, window: always, items: { skus: [], categories: ['乳制品'] }, n: 2, percentOff: 2000 },
    { id: 'P006', name: '夜间关东煮特价', kind: 'special-price', active: true, membersOnly: false, window: { from: null, to: null, dailyFromMinute: 20 * 60, dailyToMinute: 23 * 60 }, items: { skus: skusWhere((p) => p.name.includes('关东煮'), 20), categories: [] }, price: 200 },
    { id: 'P007', name: '啤酒3瓶10元', kind: 'multi-buy', active: true, membersOnly: false, window: { from: '2026-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z', dailyFromMinute: null, dailyToMinute: null }, items: { skus: skusWhere((p) => p.name.includes('啤酒') && p.price <= 500, 30), categories: [] }, qty: 3, price: 1000 },
    { id: 'P008', name: '面包+牛奶早餐组合 8.00', kind: 'combo', active: true, membersOnly: false, window: { from: null, to: null, dailyFromMinute: 6 * 60, dailyToMinute: 10 * 60 }, components: [{ skus: skusWhere((p) => p.name.includes('面包'), 40), categories: [] }, { skus: skusWhere((p) => p.name.includes('牛奶'), 60), categories: [] }], price: 800 },
  ].filter((p) => p.kind !== 'multi-buy' || (p as { items: { skus: string[] } }).items.skus.length > 0) as Promotion[];
  const members: Member[] = [];
  for (let i = 1; i <= 200; i++) members.push({ code: `8888${String(i).padStart(6, '0')}`, name: `会员${String(i).padStart(3, '0')}`, active: true });
  return { products, promotions, members };
}
