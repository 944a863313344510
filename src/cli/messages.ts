/**
 * The `till` command's message bundles for what it tells IT staff in
 * sentences (`till doctor`, `till migration compare`): Simplified Chinese
 * first, English second, one key per sentence, {name} placeholders. The
 * language: --lang, else TILL_LANG, else the till's own choice
 * (DATA/terminal.json), else the locale (LC_ALL, LC_MESSAGES, LANG), else
 * Chinese.
 */
import { formatMinor } from '../shared/money';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

const en = {
  'status.ok': 'ok',
  'status.warn': 'warn',
  'status.fail': 'FAIL',
  'doctor.title': 'till doctor: {dir} (store {store}, terminal {terminal})',
  'doctor.titleNoLedger': 'till doctor: {dir}',
  'doctor.summary.ok': 'all {n} checks passed',
  'doctor.summary.warn': '{warn} warning(s), nothing failed',
  'doctor.summary.fail': '{fail} check(s) failed, {warn} warning(s)',
  'doctor.fix': 'fix: {fix}',
  'doctor.running': 'the terminal is running (pid {pid}): devices and the hub connection are read from its status of {age} ago',

  'doctor.ledger.okTail': 'ledger intact: the Genesis entry, entries {from} to {head} and the chain head recomputed, no entry missing',
  'doctor.ledger.okFull': 'ledger intact: all {n} entries recomputed and SQLite integrity check passed',
  'doctor.ledger.bad': 'ledger damaged at entry {seq} ({reason}): {detail}',
  'doctor.ledger.badFile': 'ledger damaged: {detail}',
  'doctor.ledger.missing': 'no ledger here: {detail}',
  'doctor.ledger.fixBad': "run 'till verify --data {dir}' for the whole chain, then restore the newest good backup (till restore --from FILE --data {dir}) or rebuild from the hub (till restore --from-hub)",
  'doctor.ledger.fixMissing': 'check the path, or create the till with till init --data {dir} --store S --terminal T',
  'doctor.ledger.pending': 'ledger intact, written by an older Till: {n} upgrade step(s) run when Till next starts ({names})',
  'doctor.ledger.fixPending': 'take a backup before starting the new version: till backup --data {dir} --to FOLDER',
  'doctor.ledger.fixNewer': 'run the version of Till that wrote this ledger (or newer); never an older one',

  'doctor.disk.ok': '{free} free on the disk of the data directory ({percent}%)',
  'doctor.disk.low': 'only {free} free on the disk of the data directory ({percent}%)',
  'doctor.disk.full': 'the disk of the data directory is full or nearly: {free} free; the till refuses sales it cannot record',
  'doctor.disk.fix': 'free space on that disk: old files in {dir}/logs and {dir}/backups, or move the data to a larger disk',

  'doctor.permissions.ok': 'the data directory is private (mode {mode}) and writable; its files are private',
  'doctor.permissions.open': 'others on this computer can read it: {what}',
  'doctor.permissions.readonly': 'this user cannot write to the data directory {dir}',
  'doctor.permissions.fixOpen': 'chmod 700 {dir} and chmod 600 the files named',
  'doctor.permissions.fixReadonly': 'make it writable for the user that runs Till (chown -R that user {dir}), or remount the disk read-write',

  'doctor.backup.ok': 'newest backup {age} old ({file}), verified: {n} entries',
  'doctor.backup.stale': 'the newest backup is {age} old ({file})',
  'doctor.backup.veryStale': 'the newest backup is {age} old ({file}): a lost disk would lose everything since',
  'doctor.backup.none': 'no backup in {folder} yet',
  'doctor.backup.noneNew': 'no backup yet; this till is new (first entry {age} ago)',
  'doctor.backup.damaged': 'the newest backup {file} does not verify: {detail}',
  'doctor.backup.failed': 'the last backup failed: {detail}',
  'doctor.backup.secondAbsent': 'newest backup {age} old, but the second backup folder {path} is not there (USB stick or share not mounted)',
  'doctor.backup.fix': 'the running till backs up every hour in business hours and after each Z; check its log ({dir}/logs), or take one now: till backup --data {dir} --to {folder}',
  'doctor.backup.fixDamaged': 'take a new backup now (till backup --data {dir} --to {folder}) and check the disk',
  'doctor.backup.fixSecond': 'plug in or mount {path}, or change backup.secondPath in {dir}/terminal.json',

  'doctor.devices.none': 'no devices.json: the till sells without devices (a keyboard-wedge scanner still works)',
  'doctor.devices.bad': 'devices.json cannot be used: {detail}',
  'doctor.devices.fixBad': 'correct the field named (see resources/config/devices.md), then till devices check --data {dir}',
  'doctor.devices.notInUse': 'the running till does not use its devices.json (see its log)',
  'doctor.printer.ready': 'receipt printer {device} is ready',
  'doctor.printer.paper-near-end': 'receipt printer {device}: the paper is nearly out',
  'doctor.printer.paper-out': 'receipt printer {device} is out of paper',
  'doctor.printer.cover-open': 'receipt printer {device}: the cover is open',
  'doctor.printer.offline': 'receipt printer {device} is offline',
  'doctor.printer.error': 'receipt printer {device} reports a fault',
  'doctor.printer.disconnected': 'receipt printer {device} cannot be reached',
  'doctor.printer.unknown': 'receipt printer {device} does not answer status requests',
  'doctor.printer.waiting': 'receipt printer {device}: {waiting} receipt(s) waiting to print',
  'doctor.scanner.wedge': 'keyboard-wedge scanner: read by the cashier screen',
  'doctor.scanner.connected': 'scanner {device} is connected',
  'doctor.scanner.down': 'scanner {device} is not connected',
  'doctor.drawer.open': 'the cash drawer is open',
  'doctor.drawer.closed': 'the cash drawer is closed',
  'doctor.drawer.unknown': 'the cash drawer is connected (its switch is not read)',
  'doctor.display.connected': 'customer display {device} is connected',
  'doctor.display.down': 'customer display {device} is not connected',
  'doctor.device.fixPrinter': 'load paper, close the cover, check the power, the cable or the address {device}; receipts wait in the print queue meanwhile',
  'doctor.device.fixLink': 'check the cable, the power and the port {device} (till devices list shows what this computer has)',
  'doctor.device.fixDrawer': 'close the cash drawer',

  'doctor.hub.standalone': 'stand-alone: this till is not enrolled with a hub',
  'doctor.hub.ok': 'the hub {url} answers ({ms} ms)',
  'doctor.hub.slow': 'the hub {url} answers slowly ({ms} ms)',
  'doctor.hub.fixSlow': 'check the network between the store and the hub, and the hub machine load; sales do not wait for it',
  'doctor.hub.down': 'cannot reach the hub: {detail}',
  'doctor.hub.fix': 'check the network and the hub address; the till keeps selling and uploads when the hub is back',
  'doctor.hub.credentials': 'the hub credentials cannot be used here: {detail}',
  'doctor.hub.fixCredentials': 'enroll again: till hub enroll-code at the hub, then till enroll --data {dir} --hub URL --code CODE',

  'doctor.tls.none': 'no hub: nothing to check',
  'doctor.tls.plain': 'the hub {url} is reached without TLS: tokens and sales cross the network in clear',
  'doctor.tls.fixPlain': 'serve the hub over https (till hub --cert/--key, or behind nginx; see resources/hub) and enroll with its https address',
  'doctor.tls.ok': 'the hub certificate ({subject}) is trusted and valid until {date}',
  'doctor.tls.expiring': 'the hub certificate ({subject}) expires in {days} day(s), on {date}',
  'doctor.tls.bad': 'the hub certificate is not trusted: {detail}',
  'doctor.tls.fixExpiring': 'renew the hub certificate before {date}',
  'doctor.tls.fixBad': 'renew or fix the hub certificate, or pin its CA: till enroll --data {dir} --hub URL --code CODE --ca CA.pem',

  'doctor.token.none': 'no hub: nothing to check',
  'doctor.token.ok': 'the hub accepts this till ({terminalId})',
  'doctor.token.refused': 'the hub refuses this till ({code}): {detail}',
  'doctor.token.sealed': 'the token is sealed by the Till app with this computer keychain; the app checks it (start it, then run doctor again)',
  'doctor.token.runningOk': 'the running till is connected to the hub',
  'doctor.token.runningDown': 'the running till is not connected to the hub: {detail}',
  'doctor.token.runningConnecting': 'the running till is connecting to the hub',
  'doctor.syncReason.unauthenticated': 'the hub does not know its token',
  'doctor.syncReason.revoked': 'the hub revoked its token',
  'doctor.syncReason.offline': 'the hub cannot be reached',
  'doctor.syncReason.timeout': 'the hub does not answer in time',
  'doctor.syncReason.ledger-diverged': 'the hub holds a different journal for this till',
  'doctor.syncReason.hub-untrusted': 'the hub is not trusted (its link or its signature)',
  'doctor.syncReason.insecure-hub': 'the hub is reached without TLS',
  'doctor.syncReason.bad-signature': 'a catalog from the hub failed its signature check',
  'doctor.syncReason.hub-key-missing': "the hub's key was not pinned at enrollment",
  'doctor.syncReason.other': 'see its log',
  'doctor.link.connecting': '{device} is connecting',
  'doctor.token.unknown': 'not checked: {detail}',
  'doctor.token.fix': 'enroll again: till hub enroll-code --data HUBDIR --store {store} --terminal {terminal} at the hub, then till enroll --data {dir} --hub URL --code CODE',

  'doctor.clock.none': 'no hub to compare with',
  'doctor.clock.ok': 'this computer clock is {skew} from the hub',
  'doctor.clock.skew': 'this computer clock is {skew} {direction} the hub',
  'doctor.clock.ahead': 'ahead of',
  'doctor.clock.behind': 'behind',
  'doctor.clock.fix': 'turn on time sync (timedatectl set-ntp true) or set the clock; payment codes and certificates need the right time',
  'doctor.clock.unknown': 'the hub did not say its time',

  'doctor.replication.standalone': 'stand-alone: {n} entries kept on this till only (backups are its only copy)',
  'doctor.replication.ok': 'everything is at the hub (entry {seq})',
  'doctor.replication.waiting': '{n} entries wait for the hub, the oldest for {age}',
  'doctor.replication.stuck': '{n} entries wait for the hub, the oldest for {age}',
  'doctor.replication.diverged': 'the hub refused this ledger ({code}): {detail}',
  'doctor.replication.fix': 'see the hub checks above; till sync --data {dir} --until-idle pushes now',
  'doctor.replication.fixDiverged': 'call IT support: do not reset anything; the ledger and the hub copy must be compared (till verify, till hub status)',

  'doctor.timezone.ok': 'store time UTC{store} matches this computer',
  'doctor.timezone.differs': 'the store is UTC{store} but this computer is UTC{local}: receipts and reports use the store time, the screen clock this computer',
  'doctor.timezone.default': 'the store settings were never set here (the defaults are in use: UTC{store})',
  'doctor.timezone.fix': 'set this computer time zone (timedatectl set-timezone Asia/Shanghai), or the store offset at the hub',
  'doctor.timezone.fixDefault': 'let the hub send the store settings (till hub catalog --file with settings), or import them',

  'doctor.day.ok': 'every earlier business day with sales has its Z report (today is {today})',
  'doctor.day.open': 'business day(s) with sales and no Z report: {days}',
  'doctor.day.fix': 'close them: Z report (日结) in the app, or till report z --data {dir} --date DAY',

  'compare.title': 'parallel run {date}: the old system ({file}) against Till ({source})',
  'compare.same': 'the same: {what} {old}',
  'compare.differs': 'differs: {what}: old system {old}, Till {till}, difference {diff}',
  'compare.onlyOld': 'only in the old system: {what} {old}',
  'compare.onlyTill': 'only in Till: {what} {till}',
  'compare.summary.same': 'no difference: the two agree on every total',
  'compare.summary.differs': '{n} difference(s)',
  'compare.total': 'net sales',
  'compare.count': 'number of sales',
  'compare.category': 'category {name}',
  'compare.tender': 'tender {name}',
  'compare.rejected': 'row {row} of the export was not used: {reason}',
  'compare.bad.date': "the date '{value}' is not a calendar date",
  'compare.bad.amount': "the amount '{value}' is not an amount",
  'compare.bad.count': "the count '{value}' is not a whole number",
  'tender.cash': 'cash',
  'tender.card': 'card',
  'tender.wechat': 'WeChat Pay',
  'tender.alipay': 'Alipay',
  'tender.unionpay': 'UnionPay',
} as const;

export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

const zh: Record<MessageKey, string> = {
  'status.ok': '正常',
  'status.warn': '警告',
  'status.fail': '故障',
  'doctor.title': 'till doctor：{dir}（门店 {store}，收银机 {terminal}）',
  'doctor.titleNoLedger': 'till doctor：{dir}',
  'doctor.summary.ok': '全部 {n} 项检查通过',
  'doctor.summary.warn': '{warn} 项警告，没有故障',
  'doctor.summary.fail': '{fail} 项故障，{warn} 项警告',
  'doctor.fix': '处理：{fix}',
  'doctor.running': '收银机正在运行（进程 {pid}）：设备和总部连接取自它{age}前的状态',

  'doctor.ledger.okTail': '账本完好：创世条目、第 {from} 至 {head} 条和链头已重新计算，没有缺失条目',
  'doctor.ledger.okFull': '账本完好：全部 {n} 条已重新计算，SQLite 完整性检查通过',
  'doctor.ledger.bad': '账本在第 {seq} 条损坏（{reason}）：{detail}',
  'doctor.ledger.badFile': '账本损坏：{detail}',
  'doctor.ledger.missing': '这里没有账本：{detail}',
  'doctor.ledger.fixBad': "运行 'till verify --data {dir}' 检查整条链，然后恢复最新的完好备份（till restore --from 文件 --data {dir}），或从总部重建（till restore --from-hub）",
  'doctor.ledger.fixMissing': '检查路径，或用 till init --data {dir} --store 门店 --terminal 收银机 创建',
  'doctor.ledger.pending': '账本完好，由旧版 Till 写入：下次启动时将执行 {n} 个升级步骤（{names}）',
  'doctor.ledger.fixPending': '启动新版本前先备份：till backup --data {dir} --to 目录',
  'doctor.ledger.fixNewer': '使用写入该账本的 Till 版本（或更新版本）；切勿使用旧版本',

  'doctor.disk.ok': '数据目录所在磁盘剩余 {free}（{percent}%）',
  'doctor.disk.low': '数据目录所在磁盘只剩 {free}（{percent}%）',
  'doctor.disk.full': '数据目录所在磁盘已满或将满：剩余 {free}；无法记账时收银机会拒绝交易',
  'doctor.disk.fix': '清理该磁盘：{dir}/logs 和 {dir}/backups 中的旧文件，或把数据移到更大的磁盘',

  'doctor.permissions.ok': '数据目录仅本用户可访问（权限 {mode}）且可写；其中的文件均为私有',
  'doctor.permissions.open': '本机其他用户可以读取：{what}',
  'doctor.permissions.readonly': '当前用户无法写入数据目录 {dir}',
  'doctor.permissions.fixOpen': '执行 chmod 700 {dir}，并对列出的文件执行 chmod 600',
  'doctor.permissions.fixReadonly': '让运行 Till 的用户可写（chown -R 该用户 {dir}），或把磁盘重新挂载为可读写',

  'doctor.backup.ok': '最新备份在{age}前（{file}），已校验：{n} 条',
  'doctor.backup.stale': '最新备份已是{age}前（{file}）',
  'doctor.backup.veryStale': '最新备份已是{age}前（{file}）：磁盘损坏将丢失此后的全部记录',
  'doctor.backup.none': '{folder} 中还没有备份',
  'doctor.backup.noneNew': '还没有备份；这是新收银机（第一条记录在{age}前）',
  'doctor.backup.damaged': '最新备份 {file} 校验失败：{detail}',
  'doctor.backup.failed': '上次备份失败：{detail}',
  'doctor.backup.secondAbsent': '最新备份在{age}前，但第二备份目录 {path} 不存在（U盘或网络共享未挂载）',
  'doctor.backup.fix': '运行中的收银机在营业时间每小时及每次日结后自动备份；请查看日志（{dir}/logs），或立即备份：till backup --data {dir} --to {folder}',
  'doctor.backup.fixDamaged': '立即重新备份（till backup --data {dir} --to {folder}）并检查磁盘',
  'doctor.backup.fixSecond': '插入或挂载 {path}，或修改 {dir}/terminal.json 中的 backup.secondPath',

  'doctor.devices.none': '没有 devices.json：收银机不连接设备（键盘式扫码枪仍可使用）',
  'doctor.devices.bad': 'devices.json 无法使用：{detail}',
  'doctor.devices.fixBad': '按提示修改该字段（见 resources/config/devices.md），然后运行 till devices check --data {dir}',
  'doctor.devices.notInUse': '运行中的收银机未使用 devices.json（请查看其日志）',
  'doctor.printer.ready': '小票打印机 {device} 就绪',
  'doctor.printer.paper-near-end': '小票打印机 {device}：纸将用完',
  'doctor.printer.paper-out': '小票打印机 {device} 缺纸',
  'doctor.printer.cover-open': '小票打印机 {device}：纸仓盖未关',
  'doctor.printer.offline': '小票打印机 {device} 离线',
  'doctor.printer.error': '小票打印机 {device} 报告故障',
  'doctor.printer.disconnected': '无法连接小票打印机 {device}',
  'doctor.printer.unknown': '小票打印机 {device} 不回应状态查询',
  'doctor.printer.waiting': '小票打印机 {device}：{waiting} 张小票等待打印',
  'doctor.scanner.wedge': '键盘式扫码枪：由收银界面读取',
  'doctor.scanner.connected': '扫码枪 {device} 已连接',
  'doctor.scanner.down': '扫码枪 {device} 未连接',
  'doctor.drawer.open': '钱箱处于打开状态',
  'doctor.drawer.closed': '钱箱已关闭',
  'doctor.drawer.unknown': '钱箱已连接（未接开关信号）',
  'doctor.display.connected': '客显 {device} 已连接',
  'doctor.display.down': '客显 {device} 未连接',
  'doctor.device.fixPrinter': '装纸、合上纸仓盖，检查电源、线缆或地址 {device}；期间小票在打印队列中等待',
  'doctor.device.fixLink': '检查线缆、电源和端口 {device}（till devices list 可列出本机端口）',
  'doctor.device.fixDrawer': '关上钱箱',

  'doctor.hub.standalone': '单机模式：未注册到总部',
  'doctor.hub.ok': '总部 {url} 有响应（{ms} 毫秒）',
  'doctor.hub.slow': '总部 {url} 响应缓慢（{ms} 毫秒）',
  'doctor.hub.fixSlow': '检查门店到总部的网络及总部服务器负载；收银不会因此等待',
  'doctor.hub.down': '无法连接总部：{detail}',
  'doctor.hub.fix': '检查网络和总部地址；收银机照常收银，总部恢复后自动上传',
  'doctor.hub.credentials': '总部凭据在此无法使用：{detail}',
  'doctor.hub.fixCredentials': '重新注册：在总部运行 till hub enroll-code，然后 till enroll --data {dir} --hub 地址 --code 注册码',

  'doctor.tls.none': '未连接总部：无需检查',
  'doctor.tls.plain': '连接总部 {url} 未使用 TLS：令牌和销售数据以明文在网络上传输',
  'doctor.tls.fixPlain': '让总部使用 https（till hub --cert/--key，或置于 nginx 之后；见 resources/hub），并用 https 地址重新注册',
  'doctor.tls.ok': '总部证书（{subject}）受信任，有效期至 {date}',
  'doctor.tls.expiring': '总部证书（{subject}）将在 {days} 天后（{date}）过期',
  'doctor.tls.bad': '总部证书不受信任：{detail}',
  'doctor.tls.fixExpiring': '在 {date} 之前更新总部证书',
  'doctor.tls.fixBad': '更新或修正总部证书，或固定其 CA：till enroll --data {dir} --hub 地址 --code 注册码 --ca CA.pem',

  'doctor.token.none': '未连接总部：无需检查',
  'doctor.token.ok': '总部接受本收银机（{terminalId}）',
  'doctor.token.refused': '总部拒绝本收银机（{code}）：{detail}',
  'doctor.token.sealed': '令牌由 Till 应用用本机钥匙串加密，由应用自行检查（启动应用后再运行 doctor）',
  'doctor.token.runningOk': '运行中的收银机已连接总部',
  'doctor.token.runningDown': '运行中的收银机未连接总部：{detail}',
  'doctor.token.runningConnecting': '运行中的收银机正在连接总部',
  'doctor.syncReason.unauthenticated': '总部不认识它的令牌',
  'doctor.syncReason.revoked': '总部已吊销它的令牌',
  'doctor.syncReason.offline': '无法连接总部',
  'doctor.syncReason.timeout': '总部没有及时响应',
  'doctor.syncReason.ledger-diverged': '总部保存的本机账本与本机不一致',
  'doctor.syncReason.hub-untrusted': '总部不受信任（连接或签名）',
  'doctor.syncReason.insecure-hub': '连接总部未使用 TLS',
  'doctor.syncReason.bad-signature': '总部下发的商品资料签名校验失败',
  'doctor.syncReason.hub-key-missing': '注册时未固定总部密钥',
  'doctor.syncReason.other': '请查看其日志',
  'doctor.link.connecting': '{device} 正在连接',
  'doctor.token.unknown': '未检查：{detail}',
  'doctor.token.fix': '重新注册：在总部运行 till hub enroll-code --data 总部目录 --store {store} --terminal {terminal}，然后 till enroll --data {dir} --hub 地址 --code 注册码',

  'doctor.clock.none': '没有总部可比对',
  'doctor.clock.ok': '本机时钟与总部相差 {skew}',
  'doctor.clock.skew': '本机时钟{direction}总部 {skew}',
  'doctor.clock.ahead': '快于',
  'doctor.clock.behind': '慢于',
  'doctor.clock.fix': '开启时间同步（timedatectl set-ntp true）或校准时钟；付款码和证书都依赖正确时间',
  'doctor.clock.unknown': '总部未提供时间',

  'doctor.replication.standalone': '单机模式：{n} 条记录只保存在本机（备份是唯一副本）',
  'doctor.replication.ok': '全部记录已上传总部（第 {seq} 条）',
  'doctor.replication.waiting': '{n} 条记录等待上传，最早的已等待 {age}',
  'doctor.replication.stuck': '{n} 条记录等待上传，最早的已等待 {age}',
  'doctor.replication.diverged': '总部拒绝了本账本（{code}）：{detail}',
  'doctor.replication.fix': '参见上面的总部检查；till sync --data {dir} --until-idle 可立即上传',
  'doctor.replication.fixDiverged': '请联系IT支持：不要重置任何数据；需要比对账本与总部副本（till verify，till hub status）',

  'doctor.timezone.ok': '门店时间 UTC{store} 与本机一致',
  'doctor.timezone.differs': '门店为 UTC{store}，本机为 UTC{local}：小票和报表使用门店时间，屏幕时钟使用本机时间',
  'doctor.timezone.default': '本机从未收到门店设置（正在使用默认值：UTC{store}）',
  'doctor.timezone.fix': '设置本机时区（timedatectl set-timezone Asia/Shanghai），或在总部设置门店时差',
  'doctor.timezone.fixDefault': '由总部下发门店设置（till hub catalog --file 含 settings），或导入设置',

  'doctor.day.ok': '此前每个有销售的营业日都已日结（今天是 {today}）',
  'doctor.day.open': '有销售但未日结的营业日：{days}',
  'doctor.day.fix': '完成日结：在应用中执行 Z 报表（日结），或 till report z --data {dir} --date 日期',

  'compare.title': '并行运行 {date}：旧系统（{file}）对比 Till（{source}）',
  'compare.same': '一致：{what} {old}',
  'compare.differs': '不一致：{what}：旧系统 {old}，Till {till}，差额 {diff}',
  'compare.onlyOld': '仅旧系统有：{what} {old}',
  'compare.onlyTill': '仅 Till 有：{what} {till}',
  'compare.summary.same': '没有差异：两边所有合计一致',
  'compare.summary.differs': '{n} 处差异',
  'compare.total': '净销售额',
  'compare.count': '交易笔数',
  'compare.category': '类别 {name}',
  'compare.tender': '付款方式 {name}',
  'compare.rejected': '导出文件第 {row} 行未使用：{reason}',
  'compare.bad.date': '日期“{value}”不是有效日期',
  'compare.bad.amount': '金额“{value}”不是有效金额',
  'compare.bad.count': '笔数“{value}”不是整数',
  'tender.cash': '现金',
  'tender.card': '银行卡',
  'tender.wechat': '微信支付',
  'tender.alipay': '支付宝',
  'tender.unionpay': '云闪付',
};

const BUNDLES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return BUNDLES[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/** the language of the command's sentences (see the header); `tillLanguage` is DATA/terminal.json's choice */
export function cliLanguage(flag: string | undefined, tillLanguage: Lang | null, env: NodeJS.ProcessEnv = process.env): Lang {
  if (isLang(flag)) return flag;
  if (isLang(env.TILL_LANG)) return env.TILL_LANG;
  if (tillLanguage) return tillLanguage;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (/^en/i.test(locale)) return 'en';
  return 'zh-CN';
}

/** columns a string takes in a terminal: CJK and full-width characters take two */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export function padDisplay(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** 12 s (12 秒) */
export function seconds(lang: Lang, ms: number): string {
  return `${Math.round(ms / 1000)}${lang === 'en' ? ' s' : ' 秒'}`;
}

/** 3 min, 2 h 5 min, 3 d 4 h (3分钟, 2小时5分钟, 3天4小时) */
export function duration(lang: Lang, ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  const [d, h, mi] = [Math.floor(m / 1440), Math.floor((m % 1440) / 60), m % 60];
  const u = lang === 'en' ? { d: ' d', h: ' h', m: ' min' } : { d: '天', h: '小时', m: '分钟' };
  if (m === 0) return lang === 'en' ? 'less than a minute' : '不到1分钟';
  const parts = d > 0 ? [[d, u.d], [h, u.h]] : h > 0 ? [[h, u.h], [mi, u.m]] : [[mi, u.m]];
  return parts
    .filter(([n]) => (n as number) > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(lang === 'en' ? ' ' : '');
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** ¥12.34 from fen */
export function yuan(fen: number): string {
  return fen < 0 ? `-¥${formatMinor(-fen)}` : `¥${formatMinor(fen)}`;
}
