// The receipt check of /console/verify, run in the browser with the standalone verifier
// (verifier/, WebCrypto only). Contract:
//   <script type="application/json" id="gf-trust"> the ledger's published keys (embedded ledger:
//     govflow-ledger-keys; Fabric: the channel's trust anchors), pinned when the page loaded
//   <input type="file" id="gf-receipt">, a drop zone #gf-drop, <ol id="gf-checks">, <p id="gf-summary">
// Each check becomes <li data-check="<name>" data-result="valid|invalid|skipped">label: reason</li>;
// gf-summary gets data-result valid or invalid. Nothing is fetched: it works with the server gone.
import { isFabricReceipt, verifyFabricReceipt } from '../../verifier/fabric-receipt.ts';
import { verifyReceipt } from '../../verifier/receipt.ts';
import type { Check, PinnedKeys, Receipt } from '../../verifier/types.ts';

type Lang = 'zh-CN' | 'en';
const lang: Lang = document.documentElement.lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';

const LABELS: Record<string, [string, string]> = {
  'receipt-format': ['回执格式', 'Receipt format'],
  keys: ['固定的公钥', 'Pinned keys'],
  'records-chained': ['记录前后相链', 'Records chained'],
  'records-in-transactions': ['记录写在交易中', 'Records in their transactions'],
  'transaction-signatures': ['交易签名', 'Transaction signatures'],
  'inclusion-proofs': ['包含在已签名检查点中', 'Included in a signed checkpoint'],
  'checkpoint-signature': ['检查点签名', 'Checkpoint signature'],
  witnesses: ['见证机构联署', 'Witness co-signatures'],
  definition: ['流程定义哈希', 'Definition hash'],
  'block-data-hash': ['区块数据哈希', 'Block data hash'],
  'orderer-signatures': ['排序节点签名', 'Orderer signatures'],
  'transactions-valid': ['交易有效标记', 'Transactions marked valid'],
  'creator-signatures': ['提交者签名', 'Creator signatures'],
  'endorsement-policy': ['背书策略', 'Endorsement policy'],
  endorsements: ['背书签名', 'Endorsements'],
  trust: ['信任锚', 'Trust anchors'],
};
const RESULT: Record<string, [string, string]> = {
  valid: ['通过', 'valid'],
  invalid: ['不通过', 'invalid'],
  skipped: ['未检查', 'not checked'],
};
const TEXT = {
  valid: ['回执有效：每项检查均通过。', 'The receipt is valid: every check passed.'],
  invalid: ['回执无效：', 'The receipt is not valid: '],
  unreadable: ['无法读取回执：', 'The receipt cannot be read: '],
  noTrust: [
    '本页没有固定的账本公钥，无法核验。',
    'This page has no pinned ledger keys; nothing can be verified.',
  ],
  checking: ['正在核验…', 'Checking…'],
  noCrypto: [
    '此浏览器在本页不提供 WebCrypto（需 HTTPS 或本机地址），无法核验。',
    'This browser offers no WebCrypto on this page (it needs HTTPS or a local address); nothing can be verified.',
  ],
};
const say = (pair: readonly [string, string] | string[]) => pair[lang === 'zh-CN' ? 0 : 1];

const list = document.getElementById('gf-checks');
const summary = document.getElementById('gf-summary');

function readTrust(): unknown {
  try {
    return JSON.parse(document.getElementById('gf-trust')?.textContent ?? '');
  } catch {
    return undefined;
  }
}
const trust = readTrust();

function show(checks: Check[], valid: boolean): void {
  if (!list || !summary) return;
  list.replaceChildren(
    ...checks.map((check) => {
      const result = check.status === 'not checked' ? 'skipped' : check.status;
      const item = document.createElement('li');
      item.dataset.check = check.check;
      item.dataset.result = result;
      const label = LABELS[check.check] ? say(LABELS[check.check]) : check.check;
      const strong = document.createElement('strong');
      strong.textContent = `${label}: ${say(RESULT[result])}`;
      item.append(strong, ` — ${check.detail}`);
      return item;
    }),
  );
  const failed = checks.filter((c) => c.status === 'invalid');
  summary.dataset.result = valid ? 'valid' : 'invalid';
  summary.textContent = valid
    ? say(TEXT.valid)
    : `${say(TEXT.invalid)}${failed.map((c) => (LABELS[c.check] ? say(LABELS[c.check]) : c.check)).join(', ')}`;
}

function problem(message: string): void {
  if (!list || !summary) return;
  list.replaceChildren();
  summary.dataset.result = 'invalid';
  summary.textContent = message;
}

async function check(file: File): Promise<void> {
  if (summary) {
    summary.dataset.result = '';
    summary.textContent = say(TEXT.checking);
  }
  if (!trust || typeof trust !== 'object') return problem(say(TEXT.noTrust));
  let receipt: unknown;
  try {
    receipt = JSON.parse(await file.text());
  } catch (err) {
    return problem(`${say(TEXT.unreadable)}${(err as Error).message}`);
  }
  try {
    const report = isFabricReceipt(receipt)
      ? await verifyFabricReceipt(receipt, trust as Parameters<typeof verifyFabricReceipt>[1])
      : await verifyReceipt(receipt as Receipt, trust as PinnedKeys);
    show(report.checks, report.valid);
  } catch (err) {
    problem(`${say(TEXT.unreadable)}${(err as Error).message}`);
  }
}

const input = document.getElementById('gf-receipt') as HTMLInputElement | null;
input?.addEventListener('change', () => {
  const file = input.files?.[0];
  if (file) void check(file);
});
const drop = document.getElementById('gf-drop');
drop?.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop?.addEventListener('dragleave', () => drop.classList.remove('over'));
drop?.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files?.[0];
  if (file) void check(file);
});
// A file dropped anywhere else must not replace the page (with the server gone it could not come back).
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', (event) => event.preventDefault());
if (!trust || typeof trust !== 'object') problem(say(TEXT.noTrust));
else if (!globalThis.crypto?.subtle) problem(say(TEXT.noCrypto));
if (document.body) document.body.dataset.verifyReady = 'true';
