// The campaign documents that ship with 报送. The 2019 黄南州 campaign is the first: its two 附件 are the
// government templates DESIGN §2 describes.
import huangnan2019 from '../campaigns/huangnan-2019.json';
import { formatDocumentIssues, parseCampaignDocument } from './document';
import type { CampaignDocument } from './schema';
import { campaignForms, type FormCatalog } from '../spec';

function shipped(json: unknown, file: string): CampaignDocument {
  const result = parseCampaignDocument(json);
  if (!result.ok) throw new Error(`${file} 有误:\n${formatDocumentIssues(result.issues)}`);
  return result.campaign;
}

/** 黄环督办〔2019〕4号: 附件1 and 附件2 reported on the 4th, 14th and 24th from 2019-10-22 to year end. */
export const HUANGNAN_2019_DOCUMENT: CampaignDocument = shipped(huangnan2019, 'forms/campaigns/huangnan-2019.json');

/** The 2019 campaign's 附件1 and 附件2, compiled. */
export const HUANGNAN_2019_FORMS: FormCatalog = campaignForms(HUANGNAN_2019_DOCUMENT);
