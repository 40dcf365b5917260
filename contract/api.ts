// Request and response bodies of the HTTP API (DESIGN §4). Shared by the functions and the add-in's API client.
import type { CampaignDocument, FormKind } from '../forms/campaign/schema';
import type { CallbackEntry, CallbackFlag } from '../forms/callback';
import type { FormId, FormRow, Issue } from '../forms/types';

export type Role = 'county' | 'prefecture' | 'admin';

/** Every non-2xx answer. `message` is Chinese and says what to do. */
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: Issue[] };
}

/** The campaign as `GET /v1/me` described it before campaigns were data (kept for old clients). */
export interface CampaignInfo {
  id: string;
  name: string;
  /** First and last day of the window, `YYYY-MM-DD`. */
  start: string;
  end: string;
  /** Days of the month on which reports are due (empty when the campaign lists its dates). */
  dueDays: number[];
  timeZone: string;
  /** Every due date (`YYYY-MM-DD`) of the campaign. */
  rounds: string[];
}

/** One campaign as lists show it: calendar, where it stands now, its forms at their current versions. */
export interface CampaignSummary {
  id: string;
  name: string;
  issuer: string;
  timeZone: string;
  window: { start: string; end: string };
  /** Every due date (`YYYY-MM-DD`). */
  rounds: string[];
  /** The round a report made now counts for; null once the last round has closed. */
  nextDue: string | null;
  /** Today lies inside the window. */
  active: boolean;
  /** 1, 2, … with each publication (0: the built-in 2019 campaign of a store where none was published). */
  revision: number;
  publishedAt: string | null;
  forms: { id: string; tag: string; title: string; kind: FormKind; version: number }[];
}

/** POST /v1/units/{unit}/contact: the unit's one contact person (各县专项整治工作联系人). */
export interface ContactRequest {
  name: string;
  phone: string;
  /** 科室/职务, e.g. 县生态环境局办公室 (may be empty). */
  office: string;
}

/** A unit's registered contact, as the board, statistics and the 催报 list show it. */
export interface UnitContact extends ContactRequest {
  updatedAt: string;
  /** The token that saved it (who, for the audit trail). */
  updatedBy: string;
}

/** GET /v1/me */
export interface MeResponse {
  unit: {
    id: string;
    name: string;
    role: 'county' | 'prefecture';
    /** Other names of the unit on sheets, from the campaign's unit list (the pane's 校验 checks the sheet with them). */
    aliases: string[];
    /** The unit's letters in receipt numbers (the unit list's `code`, else its id in capitals). */
    code: string;
  };
  role: Role;
  /** The campaign meant when a request names none (the only active one, else the latest). */
  campaign: CampaignInfo;
  /** The next due date of that campaign at the time of the call, or null after it ended. */
  nextDue: string | null;
  /** Every campaign the unit takes part in, with its next due round. */
  campaigns: CampaignSummary[];
  /**
   * The unit's current submissions that the prefecture returned (已退回), until it submits that form and round again
   * (absent from servers older than reviews).
   */
  returned?: ReturnedSubmission[];
  /** The unit's registered contact; null before it registers one (absent from servers older than contacts). */
  contact?: UnitContact | null;
}

/** GET /v1/campaigns: the campaigns the caller takes part in (admin: all). */
export interface CampaignsResponse {
  campaigns: CampaignSummary[];
}

/** One immutable version of a form: which rounds it applies to. */
export interface FormVersionInfo {
  form: string;
  version: number;
  /** The first round it applies to; null = from the campaign's first round. */
  validFrom: string | null;
  publishedAt: string | null;
}

/**
 * GET /v1/campaigns/{id}[?round=]: the campaign document for the pane — forms at their current versions, or,
 * with `round`, at the versions that apply to that round (what a submission for it is checked against).
 */
export interface CampaignResponse {
  campaign: CampaignSummary;
  document: CampaignDocument;
  /** The version of each form in `document.forms`, in the same order. */
  formVersions: number[];
  /** Every version of every form. */
  versions: FormVersionInfo[];
}

/** 201 answer of POST /v1/campaigns (admin). */
export interface PublishResponse {
  campaign: CampaignSummary;
  /** Forms published in a new version by this publication. */
  published: FormVersionInfo[];
  /** Forms that did not change (they keep their version). */
  unchanged: string[];
  /** Units of the document that the store did not know and that were created. */
  createdUnits: string[];
}

export interface Contact {
  name: string;
  phone: string;
}

/**
 * Content-Type of a compressed request body (with `Content-Encoding: gzip`; the decoded body is the route's JSON).
 * API Gateway's HTTP API hands a body to the function as base64 or as a UTF-8 string by its content type alone,
 * so gzip bytes sent as application/json would be destroyed on the way (infra/local/gateway.ts cites the rules).
 * The functions also accept the older form (application/json + gzip) wherever it arrives intact.
 */
export const COMPRESSED_BODY_TYPE = 'application/octet-stream';

/**
 * Response header of a paged answer naming the same cursor as the body's `next`: a client asks for the next page
 * as soon as a page's headers arrive and reads that page's body meanwhile (CORS exposes it).
 */
export const NEXT_CURSOR_HEADER = 'next-cursor';

/**
 * Response header of a consolidated page that plans the rest in `ranges`: the same cursors, comma-separated (a
 * cursor is base64url), so that a client starts on the ranges before it has read this page's body. Sent only
 * while short enough for any proxy (RANGES_HEADER_MAX); the body's `ranges` always hold them.
 */
export const RANGES_HEADER = 'page-ranges';
/** Longest `page-ranges` header sent. */
export const RANGES_HEADER_MAX = 4096;

/**
 * Lambda takes at most 6 MB per request and counts a compressed body in base64 (4/3 of its bytes), plus headers
 * and request context. A request body stays under this many compressed bytes (5.3 MB in base64); a sheet that
 * compresses to more is sent in parts: POST /v1/submissions/parts/{n}, then one POST /v1/submissions naming them.
 * With typical 附件1 text (about 260 compressed bytes a row) one request carries some 16,000 rows.
 */
export const MAX_COMPRESSED_REQUEST_BYTES = 4 * 1024 * 1024;
/** The same for a body sent uncompressed (a WebView without CompressionStream): JSON text, escapes and all. */
export const MAX_PLAIN_REQUEST_BYTES = 5 * 1024 * 1024;
/** The compressed size the add-in aims at per part (leaves room for rows that compress worse than average). */
export const PART_TARGET_BYTES = 3 * 1024 * 1024;
/** Most parts one submission may have. */
export const MAX_PARTS = 64;

/** One uploaded part, as the commit names it. */
export interface PartRef {
  /** SHA-256 (hex) of the part's JSON bytes (before compression), as POST /v1/submissions/parts/{n} answered. */
  sha256: string;
  /** Rows in the part. */
  rows: number;
}

/** 201 answer of POST /v1/submissions/parts/{n} (body: a JSON array of rows; header Idempotency-Key: the click's). */
export interface PartReceipt {
  part: number;
  rows: number;
  sha256: string;
}

/**
 * POST /v1/submissions: JSON, or gzip-compressed JSON as COMPRESSED_BODY_TYPE with `Content-Encoding: gzip`.
 * Header `Idempotency-Key` required.
 */
export interface SubmitRequest {
  /** The campaign (default: the unit's only active campaign that has this round, else the latest). */
  campaign?: string;
  form: FormId;
  round: string;
  asOf: string;
  contact: Contact;
  /** The rows; empty when they were uploaded in `parts`. */
  rows: unknown[];
  /** The parts uploaded under the same Idempotency-Key, in order; their rows, joined, are the submission's. */
  parts?: PartRef[];
  /** The current submission this one replaces; null = "I believe there is none yet"; absent = no check. */
  basedOn?: string | null;
  /** Prefecture only: the unit submitted for (default: the caller's own unit). */
  unit?: string;
  /** The sheet's 填报单位 line as typed (`同仁县人民政府`); when given, it must name the unit submitted for. */
  unitLine?: string;
}

/**
 * What changed against the unit's previous accepted submission of the same form.
 * 附件1: arrays of 序号. 附件2: `changed` lists the column keys whose value changed; the others stay empty.
 */
export interface Changes {
  added: number[];
  changed: (number | string)[];
  newlyClosed: number[];
  rebounds: number[];
  removed: number[];
}

/**
 * What every view of one submission states about it (receipt, history entry, stored header); fixed once
 * the submission is committed.
 */
export interface SubmissionFacts {
  id: string;
  unit: string;
  /** The campaign the submission belongs to (`huangnan-2019`). */
  campaign: string;
  form: FormId;
  /** The version of the campaign's form the rows were checked against (immutable once published). */
  formVersion: number;
  round: string;
  /** 1 for the unit's first submission of this form and round, then 2, 3, … */
  version: number;
  rowCount: number;
  late: boolean;
  submittedAt: string;
  asOf: string;
  contact: Contact;
  basedOn: string | null;
}

/** 201 answer of POST /v1/submissions (also returned unchanged on an idempotent replay). */
export interface Receipt extends SubmissionFacts {
  /** The submission the changes were computed against, or null for the unit's first. */
  previousId: string | null;
  changes: Changes;
  warnings: Issue[];
  /**
   * True (answer 200, not 201) when the rows and 数据截至 equal the current version's: nothing was stored and
   * this is that version's receipt (与第 N 版相同,无需重复提交).
   */
  unchanged?: boolean;
  /** On an unchanged answer: the prefecture's latest review of that version (a returned one needs changes first). */
  review?: Review;
}

/**
 * The number a clerk notes down: unit letters, round, form tag, version — `TR-20191114-附件1-v2`. Unique because a
 * version belongs to one unit, form and round.
 */
export function receiptNumber(unitCode: string, formTag: string, facts: Pick<SubmissionFacts, 'round' | 'version'>) {
  return `${unitCode}-${facts.round.replaceAll('-', '')}-${formTag}-v${facts.version}`;
}

export type ReviewDecision = 'approved' | 'returned';

/** Chinese label of each decision, as the pane and the board show it. */
export const REVIEW_LABELS: Record<ReviewDecision, string> = { approved: '已通过', returned: '已退回' };

/** POST /v1/submissions/{id}/review (prefecture): 通过 or 退回 the unit's current submission, with a comment. */
export interface ReviewRequest {
  decision: ReviewDecision;
  /** Required when returning (what to fix); optional when approving. */
  comment: string;
}

/** One review of a submission, kept for good (who, when, what). */
export interface Review {
  submissionId: string;
  decision: ReviewDecision;
  comment: string;
  /** The reviewing unit and its name, the token that did it, and when (ISO). */
  by: string;
  byName: string;
  tokenId: string;
  at: string;
}

/** 201 answer of POST /v1/submissions/{id}/review. */
export interface ReviewResponse {
  review: Review;
}

/** Where the review of a unit's current submission stands: no review yet is 待审核. */
export type ReviewState = 'pending' | ReviewDecision;

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = { pending: '待审核', ...REVIEW_LABELS };

/** A county's submission the prefecture sent back, as GET /v1/me lists it until the next submission clears it. */
export interface ReturnedSubmission {
  campaign: string;
  form: FormId;
  round: string;
  submissionId: string;
  version: number;
  comment: string;
  byName: string;
  at: string;
}

/** One entry of GET /v1/submissions (history, newest first). */
export interface SubmissionSummary extends SubmissionFacts {
  /** True while it is the unit's current submission for its form and round. */
  current: boolean;
  /** The prefecture's reviews of this submission, oldest first (absent on a fresh receipt and from older servers). */
  reviews?: Review[];
}

export interface HistoryResponse {
  submissions: SubmissionSummary[];
}

/**
 * GET /v1/submissions/{id} and GET /v1/units/{unit}/forms/{form}/latest: one submission with its rows.
 * Large submissions come in pages: when `next` is set, ask again with `?cursor=<next>` and append `rows`.
 */
export interface SubmissionResponse extends SubmissionSummary {
  receipt: Receipt;
  rows: FormRow[];
  /** Position (0-based) of the first row of this page in the whole submission. */
  offset: number;
  next: string | null;
  /**
   * On GET …/latest of the campaign's callback form (附件1): the unit's cases whose latest callback found the person
   * not satisfied (回访不满意), to be handled again; cleared by a later satisfied callback. Absent elsewhere.
   */
  callbackFlags?: CallbackFlag[];
}

export type RoundStatus = 'ontime' | 'late' | 'carried' | 'missing';

/** Chinese label of each status, as shown in the add-in and in consolidated sheets. */
export const STATUS_LABELS: Record<RoundStatus, string> = {
  ontime: '按时报送',
  late: '逾期报送',
  carried: '沿用上期',
  missing: '未报送',
};

export interface UnitRoundStatus {
  unit: string;
  unitName: string;
  status: RoundStatus;
  /** The submission used for the round (its own, or the carried one); null when missing. */
  submissionId: string | null;
  /** The round of that submission (differs from the asked round when carried forward). */
  round: string | null;
  submittedAt: string | null;
  contactName: string | null;
  version: number | null;
  rowCount: number | null;
  /** 数据截至 of that submission (status board and consolidated tables; absent elsewhere). */
  asOf?: string | null;
  /** The contact's phone of that submission (status board and consolidated tables; absent elsewhere). */
  contactPhone?: string | null;
  /**
   * The prefecture's review of the round's own submission: pending (待审核) until reviewed; null when the unit has
   * not reported this round (missing or carried forward).
   */
  review: ReviewState | null;
  /** The latest review's comment and when it was made (absent while pending). */
  reviewComment?: string;
  reviewedAt?: string;
}

/** GET /v1/status?round= */
export interface StatusResponse {
  campaign: string;
  round: string;
  deadline: string;
  units: {
    unit: string;
    unitName: string;
    /** The unit's registered contact (联系人), null while it has none. */
    contact: UnitContact | null;
    forms: Record<string, UnitRoundStatus>;
  }[];
}

/** One unit to chase for a round (催报): what it has not sent, what it sent late, and whom to call. */
export interface UnitReminder {
  unit: string;
  unitName: string;
  /** Tags of the forms not reported this round (未报送, or only last round's carried forward). */
  missing: string[];
  /** Tags of the forms reported after the deadline (逾期). */
  late: string[];
  /** Whom to call: the registered contact, else the contact of the unit's last submission; null when neither. */
  contactName: string | null;
  contactPhone: string | null;
  contactOffice: string | null;
}

/** GET /v1/reminders?round= (prefecture): the 催报 list of a round, and the same as text to paste into a message. */
export interface RemindersResponse {
  campaign: string;
  round: string;
  deadline: string;
  /** True once the round's deadline has passed (missing ones are then overdue). */
  overdue: boolean;
  units: UnitReminder[];
  text: string;
}

/** A consolidated row of a ledger form (附件1): the unit's row, renumbered, tagged with its unit. */
export interface ConsolidatedFujian1Row extends FormRow {
  /** The unit's own 序号; the serial column is renumbered 1..N across the prefecture. */
  originalSeq: number;
  unit: string;
  unitName: string;
  status: RoundStatus;
}

/** A consolidated row of a summary form (附件2): the unit's row (its rows summed), tagged with its unit. */
export interface ConsolidatedFujian2Row extends FormRow {
  /** The unit column (附件2's 市/州) holds the name of the unit that sent the row, whatever was typed; this is its id. */
  unitId: string;
  unitName: string;
  status: RoundStatus;
}

/** A unit's cases within a page of a consolidated ledger: `rows` rows in a run, numbered from `firstSeq`. */
export interface LedgerSegment {
  unit: string;
  unitName: string;
  status: RoundStatus;
  rows: number;
  firstSeq: number;
}

/**
 * One page of GET /v1/consolidated/{form}?round=[&cursor=] as sent — paged when large; follow `next`. A ledger's
 * rows come as each unit stored them (the server passes stored rows on compressed, without opening them), with
 * `segments` saying whose they are and `serial` the column numbered across the prefecture; `consolidatedFromWire`
 * makes the consolidated rows. A summary's rows come consolidated.
 */
export type ConsolidatedWirePage<F extends FormId = FormId> = Omit<ConsolidatedResponse<F>, 'rows'> & {
  rows: FormRow[];
  segments?: LedgerSegment[];
  serial?: string | null;
  /**
   * On the first page of a ledger that has more: cursors of the rest in ranges of about a page each, planned
   * from the round's pointers. A client may fetch them at the same time, following each range's own `next` to
   * its end, and join them in order (instead of following the first page's `next`).
   */
  ranges?: string[];
};

/**
 * A page as sent → the consolidated page: each ledger row tagged with its unit, and its serial renumbered across
 * the prefecture (the unit's own kept as originalSeq). The unit's tags win over a column of the same name.
 * `rowsBefore`: rows of the table before this page, as the client joined them (pages fetched in ranges at the
 * same time are numbered by where they land, whatever a unit reported meanwhile); else the page's own numbers.
 */
export function consolidatedFromWire<F extends FormId>(
  page: ConsolidatedWirePage<F>,
  rowsBefore?: number,
): ConsolidatedResponse<F> {
  const { segments, serial, ranges: _planned, ...rest } = page;
  if (!segments) return rest as ConsolidatedResponse<F>;
  const rows = page.rows as Record<string, unknown>[];
  let at = 0;
  for (const s of segments) {
    for (let i = 0; i < s.rows; i++, at++) {
      const row = rows[at];
      if (serial) {
        row.originalSeq = row[serial];
        row[serial] = rowsBefore === undefined ? s.firstSeq + i : rowsBefore + at + 1;
      }
      row.unit = s.unit;
      row.unitName = s.unitName;
      row.status = s.status;
    }
  }
  return { ...rest, rows: rows as unknown as ConsolidatedResponse<F>['rows'] };
}

/** A consolidated table: all pages of GET /v1/consolidated/{form}, joined (or one page, made by consolidatedFromWire). */
export interface ConsolidatedResponse<F extends FormId = FormId> {
  campaign: string;
  form: F;
  round: string;
  /** Every unit of the round; their 数据截至 (`asOf`) and contact phone on the first page only. */
  units: UnitRoundStatus[];
  /** A ledger's cases (ConsolidatedFujian1Row) or a summary's unit rows (ConsolidatedFujian2Row). */
  rows: (ConsolidatedFujian1Row | ConsolidatedFujian2Row)[];
  /**
   * A ledger: counts over all pages ({rows, and per status value: 已办结, 阶段办结, 正在办理}); a summary: column sums.
   * Computed over the whole round, identical on every page.
   */
  totals: Record<string, number>;
  next: string | null;
  /** On the campaign's callback form (附件1): every case of the round's units standing 回访不满意, by unit and 序号. */
  callbackFlags?: UnitCallbackFlag[];
}

export interface UnitStats {
  unit: string;
  unitName: string;
  /** The unit's registered contact (absent in totals). */
  contact: UnitContact | null;
  status: RoundStatus;
  rows: number;
  /** Cases per value of the status column (附件1: 已办结, 阶段办结, 正在办理). */
  byClosure: Record<string, number>;
  /** 已办结 / rows, 0..1 (0 when there are no rows). */
  closedRate: number;
  /** Cases that went from 已办结 back to 阶段办结/正在办理 against the previous round. */
  rebounds: number;
  /** Against the unit's current 附件1 of the previous round. */
  changesSinceLastRound: { added: number; changed: number; newlyClosed: number; removed: number };
  /** The round's 回访 sample of the unit's cases: null when no sample was drawn for the round. */
  callback?: CallbackTally | null;
}

/** GET /v1/stats?round= */
export interface StatsResponse {
  campaign: string;
  round: string;
  previousRound: string | null;
  units: UnitStats[];
  totals: Omit<UnitStats, 'unit' | 'unitName' | 'status' | 'contact'>;
}

// ---- callbacks (回访, DESIGN §10) ------------------------------------------------------------------------------

export type { CallbackEntry, CallbackFlag } from '../forms/callback';

/** A case standing 回访不满意, with its unit (consolidated tables). */
export interface UnitCallbackFlag extends CallbackFlag {
  unit: string;
}

/** POST /v1/callbacks/sample (prefecture): draw the round's sample, once; asking again answers the stored one. */
export interface DrawSampleRequest {
  campaign?: string;
  round: string;
  /** The office's 抽样号 (digits) that makes the seed `<round>#<number>`; absent: the server picks one. */
  number?: string;
}

/** One recorded callback, with who recorded it and when (kept for good). */
export interface CallbackResultRecord extends CallbackEntry {
  /** The recording unit, its name and token. */
  by: string;
  byName: string;
  tokenId: string;
  at: string;
}

/** Coverage and satisfaction of a set of sampled cases. */
export interface CallbackTally {
  sampled: number;
  /** Cases with a recorded result. */
  visited: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** 回访完成率: visited / sampled, 0..1 (0 when nothing was sampled). */
  coverage: number;
  /** 满意率: (满意 + 基本满意) / visited, 0..1 (0 when nothing was visited). */
  satisfaction: number;
}

/** One case of a stored sample, with its newest result and every earlier one. */
export interface CallbackCase {
  unit: string;
  unitName: string;
  /** The unit's own 序号. */
  seq: number;
  /** The case's row when the sample was drawn. */
  row: FormRow;
  /** The submission the row was taken from. */
  submissionId: string;
  result: CallbackResultRecord | null;
  /** Every result recorded for the case, oldest first (the last is `result`). */
  history: CallbackResultRecord[];
}

/** GET /v1/callbacks/sample, and the answers of POST /v1/callbacks/sample and POST /v1/callbacks/results. */
export interface CallbackSampleResponse {
  campaign: string;
  round: string;
  /** The ledger form the cases come from (the campaign's `sampling.callback.form`). */
  form: string;
  seed: string;
  /** Share of each unit's closed cases drawn (the campaign's `sampling.callback.rate`). */
  rate: number;
  drawnAt: string;
  drawnBy: string;
  drawnByName: string;
  /** False when the sample had been drawn before (POST /v1/callbacks/sample answers 200 with the stored one). */
  created: boolean;
  cases: CallbackCase[];
  /** Per unit that had rows when drawn: closed cases then, and the tally of its sampled cases. */
  units: (CallbackTally & { unit: string; unitName: string; closed: number })[];
  totals: CallbackTally;
}

/** One callback as a client sends it; the fields are checked as the 回访样本 sheet's cells are (forms/callback). */
export interface CallbackResultInput {
  unit: string;
  /** The unit's own 序号 of the case. */
  seq: number;
  way: string;
  /** `YYYY-MM-DD`. */
  date: string;
  result: string;
  note?: string;
}

/** POST /v1/callbacks/results (prefecture), header Idempotency-Key. */
export interface CallbackResultsRequest {
  campaign?: string;
  round: string;
  results: CallbackResultInput[];
}

// ---- progress over rounds (issue 11, part 4) -------------------------------------------------------------------

/** One round of a campaign, prefecture-wide. */
export interface RoundProgress {
  round: string;
  /** End of the due day in the campaign's zone (ISO). */
  deadline: string;
  /** Reporting units (counties) of the campaign. */
  units: number;
  /** Units that sent every form of the round themselves (on time or late). */
  reported: number;
  /** Units that sent every form on time. */
  onTime: number;
  /** reported − onTime. */
  late: number;
  /** units − reported (not sent, or only last round's carried forward, for at least one form). */
  missing: number;
  /** Per form: units by status in the round. */
  forms: Record<string, Record<RoundStatus, number>>;
  /** The ledger's cases in the round (carried-forward sheets included, as in the consolidated table). */
  cases: number;
  /** Of them closed (附件1: 已办结). */
  closed: number;
  /** closed / cases, 0..1. */
  closedRate: number;
  /** The round's callback sample; null when none was drawn. */
  callback: CallbackTally | null;
}

/** One unit in one round. */
export interface UnitRoundProgress {
  round: string;
  /** Of the ledger form. */
  status: RoundStatus;
  cases: number;
  closed: number;
  closedRate: number;
  /** Its cases in the round's callback sample; null when none was drawn. */
  callback: CallbackTally | null;
}

/** GET /v1/stats/rounds?campaign= (prefecture): every round up to the one due next, oldest first. */
export interface ProgressResponse {
  campaign: string;
  campaignName: string;
  /** The ledger form followed (the callback form, else the first ledger with a status column). */
  form: string;
  formTag: string;
  /** Its value meaning closed (已办结). */
  closedValue: string;
  rounds: RoundProgress[];
  units: { unit: string; unitName: string; rounds: UnitRoundProgress[] }[];
}
