// One deployment for a whole province (issue 16): prefectures, each issuing its own campaign for its counties, and
// a seed of their submissions written in bulk through the store (DynamoStore.importCommitted), so that a
// province-sized table (50 prefectures, 400 counties, 36 rounds) is there in seconds rather than hours of submits.
import { campaignRounds } from '../../forms/calendar';
import {
  formatDocumentIssues,
  HUANGNAN_2019_DOCUMENT,
  HUANGNAN_2019_FORMS,
  type CampaignDocument,
} from '../../forms/campaign';
import type { FormId } from '../../forms/types';
import type { Receipt } from '../../contract/api';
import { publishCampaign } from '../../functions/domain/publish';
import { summarize } from '../../functions/domain/receipt';
import type { DynamoStore } from '../../functions/store/dynamo';
import type { SubmissionHeader } from '../../functions/store/types';
import { fujian1Rows, fujian2Row } from './rows';

export const prefectureId = (p: number): string => `p${String(p).padStart(2, '0')}`;
export const countyId = (p: number, c: number): string => `${prefectureId(p)}c${c}`;
export const campaignId = (p: number): string => `${prefectureId(p)}-2019`;

/**
 * Prefecture p's campaign: its prefecture and `counties` counties, the 2019 forms, due on the 4th, 14th and 24th
 * of every month of 2019 (36 rounds).
 */
export function prefectureDocument(p: number, counties: number): CampaignDocument {
  const { milestones: _m, reference: _r, ...base } = structuredClone(HUANGNAN_2019_DOCUMENT);
  const name = `第${p + 1}州`;
  return {
    ...base,
    id: campaignId(p),
    name: `${name}2019年生态环境问题整改进展报送`,
    issuer: `${name}生态环境局`,
    window: { start: '2019-01-01', end: '2019-12-31' },
    due: { daysOfMonth: [4, 14, 24] },
    units: [
      { id: prefectureId(p), name, role: 'prefecture' },
      ...Array.from({ length: counties }, (_none, c) => ({
        id: countyId(p, c),
        name: `${name}第${c + 1}县`,
        role: 'county' as const,
      })),
    ],
  };
}

/** Publishes prefecture p's campaign (creating its units). */
export async function publishPrefecture(store: DynamoStore, p: number, counties: number): Promise<void> {
  const outcome = await publishCampaign(store, prefectureDocument(p, counties), new Date('2018-12-01T00:00:00Z'));
  if (!outcome.ok) throw new Error(formatDocumentIssues(outcome.issues));
}

export interface ProvinceSeed {
  prefectures: number;
  countiesPerPrefecture: number;
  /** Rounds reported, from the first; every county reports each form in each (every 5th skips the last). */
  rounds: number;
  /** Rows of 附件1 per submission (only the last two rounds carry rows; older ones headers and pointers). */
  rows?: number;
  /** Prefectures already published (seeded again with other rounds). */
  from?: number;
}

/**
 * Publishes the prefectures' campaigns and writes their counties' submissions in bulk. Every 5th county has not
 * reported the last round (carried forward on the status board).
 */
export async function seedProvince(store: DynamoStore, seed: ProvinceSeed): Promise<{ submissions: number }> {
  const from = seed.from ?? 0;
  const rounds = campaignRounds(prefectureDocument(0, 1)).slice(0, seed.rounds);
  let submissions = 0;
  for (let p = from; p < from + seed.prefectures; p++) {
    await publishPrefecture(store, p, seed.countiesPerPrefecture);
    const subs: { header: SubmissionHeader; rows?: unknown[] }[] = [];
    for (let c = 0; c < seed.countiesPerPrefecture; c++) {
      const unit = countyId(p, c);
      const reported = c % 5 === 4 ? rounds.slice(0, -1) : rounds;
      reported.forEach((round, r) => {
        for (const form of ['fujian1', 'fujian2'] as FormId[]) {
          const withRows = r >= reported.length - 2;
          const rows = withRows
            ? form === 'fujian1'
              ? fujian1Rows(seed.rows ?? 20, { progress: '按计划推进' })
              : [fujian2Row(unit, c)]
            : undefined;
          const id = `sub_${unit}_${form}_${round.replaceAll('-', '')}`;
          const submittedAt = `${round}T02:00:00.000Z`;
          subs.push({
            header: {
              id,
              unit,
              campaign: campaignId(p),
              form,
              formVersion: 1,
              round,
              version: 1,
              rowCount: rows?.length ?? 0,
              late: false,
              submittedAt,
              asOf: round,
              contact: { name: '联系人', phone: '0973-8722111' },
              basedOn: null,
              chunks: [],
              bytes: 0,
              tokenId: 'seed',
              summary: rows ? summarize(HUANGNAN_2019_FORMS.get(form)!, rows) : {},
              receipt: { id, version: 1, rowCount: rows?.length ?? 0, late: false, submittedAt } as unknown as Receipt,
            },
            rows,
          });
        }
      });
    }
    await store.importCommitted(subs);
    submissions += subs.length;
  }
  return { submissions };
}
