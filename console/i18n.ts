// Every label of the console in Chinese and English. The language comes from the `gf_lang`
// cookie (the header's switch) or else Accept-Language; process and task names come from models.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_COOKIE = 'gf_lang';

const LABELS = {
  appName: ['govflow 政务审批', 'govflow'],
  skipToContent: ['跳到正文', 'Skip to content'],
  language: ['语言', 'Language'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  signedInAs: ['当前用户', 'Signed in as'],
  pasteToken: ['粘贴访问令牌（JWT）', 'Paste an access token (JWT)'],
  loginHelp: [
    '开发环境中，npm start 会为每个角色打印登录链接。',
    'In development, npm start prints a sign-in link for each role.',
  ],
  loginFailed: ['登录失败', 'Sign-in failed'],
  nav: ['主导航', 'Main navigation'],
  home: ['首页', 'Home'],
  services: ['办事服务', 'Services'],
  myApplications: ['我的申请', 'My applications'],
  tasks: ['待办任务', 'Tasks'],
  definitions: ['流程模型', 'Models'],
  operate: ['运行监控', 'Operations'],
  verify: ['核验回执', 'Verify a receipt'],
  role: ['角色', 'Role'],
  role_applicant: ['申请人', 'Applicant'],
  role_clerk: ['办事员', 'Clerk'],
  role_designer: ['流程设计员', 'Process designer'],
  role_auditor: ['审计员', 'Auditor'],
  role_department: ['部门', 'Department'],
  homeIntro_applicant: [
    '提交申请、随时查询申请进度、下载可核验的回执。',
    'Submit applications, follow where they stand, download a verifiable receipt.',
  ],
  homeIntro_clerk: [
    '处理您所在组的待办任务：认领、审批、退回。',
    "Work your groups' tasks: claim, decide, hand back.",
  ],
  homeIntro_designer: [
    '上传 BPMN/DMN 模型，查看诊断并部署新版本。',
    'Upload BPMN/DMN models, see their diagnostics, deploy new versions.',
  ],
  homeIntro_auditor: [
    '查看申请、流程统计和事故，核验账本记录。',
    'Review applications, statistics and incidents; verify the ledger trail.',
  ],
  homeIntro_department: [
    '部门账号通过 API 写入登记事实。',
    'Department accounts write registry facts through the API.',
  ],
  homeIntro_anonymous: ['任何人都可以离线核验回执。', 'Anyone can verify a receipt, offline.'],
  notSignedIn: ['请先登录。', 'Please sign in first.'],
  notAllowed: ['您的角色不能使用此页面。', 'Your role cannot use this page.'],
  // Services and applications
  startService: ['提交申请', 'Submit'],
  noServices: ['暂无可办理的服务。', 'No services are deployed.'],
  version: ['版本', 'Version'],
  required: ['必填', 'required'],
  formErrors: ['请更正以下错误：', 'Please correct the following:'],
  submitted: ['申请已提交', 'Application submitted'],
  application: ['申请', 'Application'],
  process: ['流程', 'Process'],
  status: ['状态', 'Status'],
  started: ['提交时间', 'Submitted'],
  ended: ['办结时间', 'Finished'],
  noApplications: ['暂无申请。', 'No applications yet.'],
  status_running: ['办理中', 'In progress'],
  status_incident: ['办理受阻', 'Held up'],
  status_completed: ['已办结', 'Completed'],
  status_rejected: ['未通过', 'Rejected'],
  plain_running: ['您的申请正在办理中。当前步骤：', 'Your application is being processed. Current step: '],
  plain_waiting: ['您的申请正在等待：', 'Your application is waiting for: '],
  plain_incident: [
    '您的申请因技术问题暂停，工作人员正在处理。',
    'Your application is held up by a technical problem; staff are dealing with it.',
  ],
  plain_completed: ['您的申请已办结。', 'Your application is complete.'],
  plain_rejected: ['您的申请未获通过。', 'Your application was not approved.'],
  diagram: ['流程图', 'Diagram'],
  legend: ['图例', 'Legend'],
  legend_completed: ['已完成', 'completed'],
  legend_active: ['当前步骤', 'active'],
  legend_incident: ['事故', 'incident'],
  trail: ['账本记录', 'Ledger trail'],
  step: ['步骤', 'Step'],
  actor: ['执行者', 'Actor'],
  decision: ['决定', 'Decision'],
  txId: ['交易号', 'Transaction'],
  block: ['区块', 'Block'],
  time: ['时间', 'Time'],
  noRecords: ['尚无记录。', 'No records yet.'],
  requests: ['需要您处理', 'Requests for you'],
  answer: ['答复', 'Answer'],
  downloadReceipt: ['下载回执', 'Download the receipt'],
  openTasks: ['待办步骤', 'Open steps'],
  incidents: ['事故', 'Incidents'],
  retry: ['重试', 'Retry'],
  live: ['页面会自动更新。', 'This page updates itself.'],
  // Tasks
  list_open: ['我组全部待办', 'All open (my groups)'],
  list_mine: ['分配给我', 'Assigned to me'],
  list_unassigned: ['未认领', 'Unassigned'],
  list_completed: ['我已办结', 'Completed by me'],
  taskLists: ['任务列表', 'Task lists'],
  task: ['任务', 'Task'],
  group: ['组', 'Group'],
  allGroups: ['全部组', 'All groups'],
  allProcesses: ['全部流程', 'All processes'],
  created: ['创建时间', 'Created'],
  due: ['到期时间', 'Due'],
  sortBy: ['排序', 'Sort by'],
  filter: ['筛选', 'Filter'],
  assignee: ['办理人', 'Assignee'],
  nobody: ['无人认领', 'nobody'],
  overdue: ['已逾期', 'Overdue'],
  dueSoon: ['即将到期', 'Due soon'],
  noTasks: ['没有任务。', 'No tasks.'],
  claim: ['认领', 'Claim'],
  unclaim: ['退回', 'Unclaim'],
  assignTo: ['分配给', 'Assign to'],
  assign: ['分配', 'Assign'],
  comment: ['意见', 'Comment'],
  ruleReasons: ['规则说明（为何转人工）', "The rule's reasons (why a clerk decides)"],
  applicationData: ['申请信息', 'Application data'],
  decide: ['作出决定', 'Decide'],
  taskDone: ['任务已完成', 'Task completed'],
  taskGone: ['该任务已不在待办中。', 'This task is no longer open.'],
  completedAt: ['完成时间', 'Completed'],
  // Definitions
  upload: ['上传模型', 'Upload a model'],
  uploadHelp: ['BPMN 或 DMN 文件（XML）', 'A BPMN or DMN file (XML)'],
  deploy: ['部署', 'Deploy'],
  diagnostics: ['诊断', 'Diagnostics'],
  deployed: ['已部署', 'Deployed'],
  deployFailed: ['模型有错误，未部署。', 'The model has errors; nothing was deployed.'],
  deployer: ['部署人', 'Deployer'],
  deployedAt: ['部署时间', 'Deployed at'],
  kind: ['类型', 'Kind'],
  versions: ['版本', 'Versions'],
  applicationsPerVersion: ['各版本的申请', 'Applications per version'],
  element: ['元素', 'Element'],
  line: ['行', 'Line'],
  message: ['说明', 'Message'],
  severity: ['级别', 'Severity'],
  // Operations
  applications: ['申请', 'Applications'],
  active: ['进行中', 'Active'],
  completed: ['已完成', 'Completed'],
  all: ['全部', 'All'],
  sampled: ['（统计基于最近的申请）', '(counts from the most recent applications)'],
  // Verify
  verifyIntro: [
    '选择或拖入回执文件。核验在您的浏览器中进行，使用本页加载时固定的账本公钥；页面加载后即使服务器停止也能核验。',
    'Choose or drop a receipt file. It is checked in your browser against the ledger keys pinned when this page loaded; once loaded, it works with the server stopped.',
  ],
  receiptFile: ['回执文件', 'Receipt file'],
  dropHere: ['将回执文件拖到这里', 'Drop a receipt file here'],
  pinnedKeys: ['固定的公钥指纹', 'Pinned key fingerprints'],
  error: ['错误', 'Error'],
  back: ['返回', 'Back'],
} satisfies Record<string, [string, string]>;

export type Label = keyof typeof LABELS;

export function t(lang: Lang, label: Label): string {
  return LABELS[label][lang === 'zh-CN' ? 0 : 1];
}

/** A label whose id is built from a value (a status, a role); falls back to the value itself. */
export function tOf(lang: Lang, prefix: string, value: string): string {
  const label = `${prefix}_${value}`;
  return label in LABELS ? t(lang, label as Label) : value;
}

export function chooseLanguage(c: Context): Lang {
  const chosen = getCookie(c, LANG_COOKIE);
  if (chosen && (LANGS as readonly string[]).includes(chosen)) return chosen as Lang;
  const accepted = (c.req.header('accept-language') ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) || 0 };
    })
    .filter((a) => a.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of accepted) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

/** Dates as people read them in the chosen language, in China's time zone. */
export function formatTime(lang: Lang, iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(date);
}
