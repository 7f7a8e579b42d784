// What a refused action says to the person at the console, by the rule that refused it: the
// rule code travels with every refusal (`rule` of an evaluation, `details.rule` of a server
// answer), the English `reason` beside it is written for logs and API users. A dispatcher in
// zh-CN reads the sentence below in their language; a rule without a sentence here falls back to
// the protocol code's words and the reason (desk/format.ts).
import type { WorkflowErrorCode } from './case-workflow-rules';

export interface RefusalText {
  'zh-CN': string;
  en: string;
}

/** Every refusal code of the workflow (case-workflow.ts decide). */
const WORKFLOW: Record<WorkflowErrorCode, RefusalText> = {
  UNKNOWN_ACTION: { 'zh-CN': '未知操作', en: 'Unknown action' },
  INVALID_ACTOR: { 'zh-CN': '本席位不能执行此操作', en: 'This seat cannot take this action' },
  NOT_FOUND: { 'zh-CN': '找不到该事件', en: 'No such case' },
  DUPLICATE_CASE_ID: { 'zh-CN': '事件编号重复，请重新上报', en: 'Duplicate case id: report it again' },
  CASE_CLOSED: {
    'zh-CN': '事件已结案或作废，记录不可再改',
    en: 'The case is closed or voided: its record is final',
  },
  FORBIDDEN: { 'zh-CN': '本席位的角色无此权限', en: 'This seat’s role may not do this' },
  OUT_OF_SCOPE: { 'zh-CN': '事件不在本席位辖区内', en: 'The case is outside this seat’s jurisdiction' },
  INVALID_TRANSITION: {
    'zh-CN': '事件当前状态不允许此操作',
    en: 'Not allowed in the case’s current state',
  },
  ALREADY_ASSIGNED: { 'zh-CN': '事件已被他人派遣', en: 'Already dispatched by someone else' },
  VERSION_CONFLICT: {
    'zh-CN': '事件已被他人修改，请查看最新状态后再操作',
    en: 'The case changed since you saw it: look at it again',
  },
  NOT_ASSIGNEE: { 'zh-CN': '只有承办人可以执行此操作', en: 'Only the assignee may do this' },
  NOT_REPORTER: { 'zh-CN': '只有上报人可以执行此操作', en: 'Only the reporter may do this' },
  NOT_LEAD_UNIT: {
    'zh-CN': '联合执法由牵头单位签收、反馈和申请，协办单位可补充说明和照片',
    en: 'In joint handling the lead unit signs, asks and reports back; co-units add notes and photos',
  },
  MISSING_REASON: { 'zh-CN': '请填写理由', en: 'A reason is needed' },
  MISSING_RESULT: { 'zh-CN': '请填写处置结果', en: 'The handling result is needed' },
  MISSING_PHOTO: {
    'zh-CN': '缺少处置后照片（一查一拍）：请上传后再反馈，或退回返工',
    en: 'No after-photo (一查一拍): add one, or send the case back for rework',
  },
  INVALID_PARAMS: { 'zh-CN': '填写的内容不完整或有误', en: 'Incomplete or invalid input' },
  INVALID_CODE: { 'zh-CN': '区划或网格代码无效', en: 'Invalid division or grid code' },
  SOURCE_NOT_ALLOWED: { 'zh-CN': '本席位不能以此来源上报', en: 'This seat may not report from this source' },
  AT_TOP_LEVEL: { 'zh-CN': '已是最高层级，无法再上报', en: 'Already at the top level: nowhere to escalate' },
  INVALID_TARGET: { 'zh-CN': '所选对象不能承接此事件', en: 'The chosen target cannot take this case' },
  SEPARATION_VIOLATION: {
    'zh-CN': '违反采办分离：上报人、承办人与核查人须为不同的人',
    en: 'Separation of duties (采办分离): reporter, handler and checker must differ',
  },
};

/** The rules of the command path beyond the workflow's codes (case-commands, 督办, 一事多报). */
const RULES: Record<string, RefusalText> = {
  BAD_REQUEST: { 'zh-CN': '填写的内容不完整或有误', en: 'Incomplete or invalid input' },
  SUSPEND_NOT_ALLOWED: {
    'zh-CN': '特急事件不得缓办：须立即处置，确需更多时间请申请延期',
    en: 'Emergencies (特急) are never suspended: handle them now, or ask for more time (延期)',
  },
  SELF_HANDLE_NOT_ALLOWED: {
    'zh-CN': '燃气、危化品和特急事件不得前置处理：请上报派遣',
    en: 'Gas, hazardous-chemical and emergency findings are never handled on the spot: report them',
  },
  CHECKLIST_INCOMPLETE: {
    'zh-CN': '结案条件未逐项确认，不能结案',
    en: 'The closing standard is not confirmed item by item',
  },
  RETURN_WINDOW_PASSED: {
    'zh-CN': '已过退单时限（派遣后 2 个工作小时内）：请处置或申请延期',
    en: 'Past the return window (2 working hours after dispatch): handle it or ask for more time',
  },
  JOINT_UNITS: {
    'zh-CN': '协办单位须由单位牵头，最多 4 个，不能重复，也不能是牵头单位本身',
    en: 'Co-units need a unit as lead, at most 4, none twice and not the lead itself',
  },
  UNIT_OUT_OF_SCOPE: {
    'zh-CN': '该单位不在本席位辖区内：请上报上级派遣',
    en: 'That unit is outside this seat’s jurisdiction: escalate the case instead',
  },
  UNIT_NOT_LOCAL: {
    'zh-CN': '该单位不负责事件所在区域',
    en: 'That unit does not cover the place of the case',
  },
  WRONG_HANDLING_LEVEL: {
    'zh-CN': '不符合权责清单：该入格事项须由更高层级的单位牵头办理',
    en: 'Not by the responsibility list (权责清单): a unit of a higher level must lead this',
  },
  OUTSIDE_AREA: { 'zh-CN': '位置不在本市任何网格内', en: 'The location is in no grid of the city' },
  SUPERVISION_NOT_OPEN: { 'zh-CN': '该督办已办结或不存在', en: 'That supervision order is not open' },
  SUPERVISION_NOT_DUE: {
    'zh-CN': '督办尚未到期，不能按逾期升级',
    en: 'The supervision order has not lapsed yet',
  },
  SUPERVISION_LEVEL: {
    'zh-CN': '只有市、镇街（园区）两级可以发起督办',
    en: 'Only the city (市督) and towns (镇督) issue supervision orders',
  },
  MERGE_SELF: { 'zh-CN': '不能把事件合并到它自己', en: 'A case cannot be merged into itself' },
  MERGE_OTHER_GRID: {
    'zh-CN': '只能合并同一网格内的重复上报',
    en: 'Only reports of the same base grid can be merged',
  },
  PRIMARY_FINAL: { 'zh-CN': '主事件已结案或作废', en: 'The primary case is closed or voided' },
  PRIMARY_UNCONFIRMED: {
    'zh-CN': '主事件尚未被服务器确认，请稍后再合并',
    en: 'The primary case is not confirmed by the server yet',
  },
  PRIMARY_OUT_OF_SCOPE: {
    'zh-CN': '主事件不在本席位辖区内',
    en: 'The primary case is outside this seat’s jurisdiction',
  },
  NOT_MERGED: { 'zh-CN': '该上报未被合并', en: 'That report is not merged' },
  HAS_DUPLICATES: {
    'zh-CN': '已有其他上报并入该事件，请先撤销那些合并',
    en: 'Other reports are merged into this case: unmerge them first',
  },
  DUPLICATE_IN_HAND: {
    'zh-CN': '该上报已有人处置，只有尚未处置的上报可以并入',
    en: 'Only a report nobody is handling yet can be merged away',
  },
  TOO_MANY_MERGED: {
    'zh-CN': '主事件并入的重复上报已达上限',
    en: 'The primary case holds as many merged reports as it may',
  },
};

/** The sentence for a refusal's rule, or null when the rule has none (fall back to the code). */
export function refusalText(rule: unknown, locale: string): string | null {
  if (typeof rule !== 'string') return null;
  const text = (WORKFLOW as Record<string, RefusalText | undefined>)[rule] ?? RULES[rule];
  if (!text) return null;
  return locale === 'en' ? text.en : text['zh-CN'];
}
