// Contacts and reminders (联系人/催报, DESIGN §10): each unit registers its one contact person (the seed's 各县专项整治
// 工作联系人), edits it when it changes, and the prefecture sees it on the board and in statistics. For a round, the
// 催报 list: the units that have not reported or reported late, with whom to call — as a list and as text to paste.
import type { ContactRequest, RemindersResponse, UnitContact, UnitReminder } from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { NotAllowed, NotFound } from '../errors';
import type { CampaignRecord } from '../store/types';
import { statusBoard } from './prefecture';

export async function saveContact(
  ctx: Context,
  caller: Caller,
  unit: string,
  request: ContactRequest,
): Promise<UnitContact> {
  // Each unit speaks for itself: the prefecture phones a county's contact, it does not name them.
  if (caller.unit.id !== unit)
    throw new NotAllowed(`联系人由各单位自己登记:本单位的令牌只能登记本单位(${caller.unit.name})的联系人。`);
  if (!(await ctx.store.getUnit(unit))) throw new NotFound(`单位“${unit}”不存在。请核对单位编号。`);
  const contact: UnitContact = { ...request, updatedAt: ctx.now().toISOString(), updatedBy: caller.tokenId };
  await ctx.store.putContact(unit, contact);
  return contact;
}

/** `2019年11月14日` */
const chineseDay = (iso: string): string => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

export async function reminders(
  ctx: Context,
  campaign: CampaignRecord,
  roundParam: string | undefined,
): Promise<RemindersResponse> {
  const board = await statusBoard(ctx, campaign, roundParam);
  const tagOf = new Map(campaign.document.forms.map((f) => [f.id, f.tag]));
  const overdue = ctx.now().getTime() >= new Date(board.deadline).getTime();
  const units: UnitReminder[] = [];
  for (const u of board.units) {
    const entries = Object.entries(u.forms);
    const tags = (wanted: (status: string) => boolean) =>
      entries.filter(([, s]) => wanted(s.status)).map(([form]) => tagOf.get(form) ?? form);
    const missing = tags((s) => s === 'missing' || s === 'carried');
    const late = tags((s) => s === 'late');
    if (missing.length === 0 && late.length === 0) continue;
    // The registered contact first; a unit that never registered one is reached through its last sender.
    const sender = entries.map(([, s]) => s).find((s) => s.contactName);
    units.push({
      unit: u.unit,
      unitName: u.unitName,
      missing,
      late,
      contactName: u.contact?.name ?? sender?.contactName ?? null,
      contactPhone: u.contact?.phone ?? sender?.contactPhone ?? null,
      contactOffice: u.contact?.office || null,
    });
  }
  return {
    campaign: campaign.id,
    round: board.round,
    deadline: board.deadline,
    overdue,
    units,
    text: reminderText(campaign.document.name, board.round, overdue, units),
  };
}

/** The list as a message the office pastes into a chat or SMS: one line per unit, whom to call, what is missing. */
export function reminderText(campaignName: string, round: string, overdue: boolean, units: UnitReminder[]): string {
  const head = `【催报】${campaignName} ${chineseDay(round)}轮次${overdue ? '已过截止日' : '截止日将到'}。`;
  if (units.length === 0) return `${head}各单位均已按时报送,无需催报。`;
  const lines = units.map((u, i) => {
    const what = [
      u.missing.length ? `${u.missing.join('、')}${overdue ? '逾期未报' : '尚未报送'}` : '',
      u.late.length ? `${u.late.join('、')}逾期报送` : '',
    ]
      .filter(Boolean)
      .join(';');
    const who = u.contactName
      ? `联系人:${u.contactName}${u.contactOffice ? `(${u.contactOffice})` : ''} ${u.contactPhone ?? ''}`.trim()
      : '尚未登记联系人';
    return `${i + 1}. ${u.unitName}:${what}。${who}`;
  });
  const ask = overdue ? '请尽快报送,并说明逾期原因。' : `请于${chineseDay(round)}前报送。`;
  return [head, ...lines, ask].join('\n');
}
