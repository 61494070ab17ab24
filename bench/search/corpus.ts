// The benchmark's messages: half Chinese sentences built from a vocabulary of
// everyday words (one to four characters, as real chat is), half English
// sentences from common words. Seeded, so every run stores the same text.

const ZH = (
  '我们 你们 他们 今天 明天 昨天 周末 晚上 早上 中午 下午 上班 下班 开会 会议 项目 客户 老板 同事 朋友 家人 孩子 学校 老师 ' +
  '吃饭 午饭 晚饭 咖啡 奶茶 火锅 烧烤 超市 商场 电影 音乐 旅游 露营 爬山 跑步 游泳 健身 医院 感冒 休息 睡觉 起床 地铁 ' +
  '公交 出租车 飞机 高铁 机场 车站 酒店 北京 上海 深圳 广州 杭州 成都 天气 下雨 晴天 很热 很冷 问题 方案 报告 文件 ' +
  '邮件 电话 微信 消息 手机 电脑 系统 服务器 数据库 测试 上线 发布 版本 需求 设计 代码 修复 优化 性能 用户 产品 市场 ' +
  '价格 预算 合同 发票 快递 包裹 生日 礼物 蛋糕 聚会 加班 请假 出差 签证 护照 好的 没问题 谢谢 辛苦了 收到 可以 ' +
  '不行 等等 马上 已经 还没 什么 为什么 怎么 哪里 多少 一起 一下 一点 非常 真的 其实 然后 所以 但是 因为 如果 ' +
  '的 了 吗 吧 呢 去 来 看 说 想 要 在 是 有 和 跟 给 把 被 就 都 也 还 再 又'
).split(' ');

const EN = (
  'the a to and of in for on with at is are was be have has do we you they i it this that will can meeting ' +
  'project client report deadline weekend tomorrow today yesterday morning evening lunch dinner coffee office ' +
  'team manager review release version server database test deploy problem probably process product price ' +
  'budget contract invoice delivery package birthday party travel camping hiking running swimming movie music ' +
  'weather rain sunny hot cold please thanks sure okay great next week month plan design code fix bug feature ' +
  'user market sales call email message phone laptop system update issue ticket question answer ready done ' +
  'late early soon again still already maybe really just about from into over after before because'
).split(' ');

/** Set phrases people write (one in twenty English words starts one). */
const PHRASES = ['next week', 'see you', 'thank you', 'on my way', 'good morning', 'call me', 'last night', 'as soon as possible'];

/** A small deterministic generator (mulberry32): the same corpus every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Message n's text: even n Chinese (6–14 words, no spaces), odd n English (6–16 words). */
export function textOf(n: number, rnd: () => number): string {
  const pick = (words: string[]) => words[Math.floor(rnd() * rnd() * words.length)];
  if (n % 2 === 0) {
    const k = 6 + Math.floor(rnd() * 9);
    let s = '';
    for (let i = 0; i < k; i++) s += pick(ZH);
    return s + (rnd() < 0.5 ? '。' : '！');
  }
  const k = 6 + Math.floor(rnd() * 11);
  const w: string[] = [];
  for (let i = 0; i < k; i++) w.push(rnd() < 0.05 ? PHRASES[Math.floor(rnd() * PHRASES.length)] : pick(EN));
  return w.join(' ');
}
