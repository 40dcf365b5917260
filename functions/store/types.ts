// The Store: the only door to persistent data. Handlers and the domain layer speak these records; only
// functions/store/dynamo.ts knows they live in one DynamoDB table.
import type { CampaignDocument, FormSpec } from '../../forms/campaign/schema';
import type { FormId } from '../../forms/types';
import type { Receipt, Review, Role, SubmissionFacts, UnitContact } from '../../contract/api';
import type { CallbackStore } from './callbacks';
import type { PackedRows, RowTexts } from './codec';
import type { StoredPart } from './parts';

export type { PackedRows, RowTexts };

export interface UnitRecord {
  id: string;
  name: string;
  role: 'county' | 'prefecture';
  /** Position in prefecture-wide tables (seed order, then creation order). */
  order: number;
  createdAt: string;
}

/**
 * A published campaign (DESIGN §9): its document as last published, forms included at their current versions.
 * Replaced whole by each publication; the form versions it names are immutable items of their own.
 */
export interface CampaignRecord {
  id: string;
  /** The document as published; `forms` hold the specs of the current versions. */
  document: CampaignDocument;
  /** 1 for the first publication, then 2, 3, …: a publication replaces exactly the revision it read. */
  revision: number;
  publishedAt: string;
  /** The current version of each form of the document, in document order. */
  forms: { id: string; version: number }[];
}

/** One immutable version of a form of a campaign. */
export interface FormVersionRecord {
  campaign: string;
  form: string;
  /** 1, 2, 3, … per form. */
  version: number;
  /** The first round it applies to; '' = every round (the form's first version). */
  validFrom: string;
  spec: FormSpec;
  publishedAt: string;
}

export interface PublishInput {
  campaign: CampaignRecord;
  /** Form versions first published with this revision (written in the same transaction, never overwritten). */
  newVersions: FormVersionRecord[];
}

export interface TokenRecord {
  /** Public handle for listing and revoking; never the secret. */
  id: string;
  /** SHA-256 (hex) of the secret token. */
  hash: string;
  unit: string;
  role: Role;
  createdAt: string;
  revoked: boolean;
}

/** Fields of a submission that never change once committed. */
export interface SubmissionHeader extends SubmissionFacts {
  /** Row count of each stored chunk, in order. */
  chunks: number[];
  /** Bytes of the rows as JSON (one line per row): lets a page be planned before reading any rows. */
  bytes: number;
  tokenId: string;
  /** Closure counts (附件1) or column sums (附件2): lets status and totals skip reading rows. */
  summary: Record<string, number>;
  receipt: Receipt;
}

/** One stored chunk of a submission's rows: the submission and the chunk's number. */
export interface ChunkRef {
  id: string;
  index: number;
}

/** The unit's current submission for one form and round. */
export interface CurrentPointer {
  unit: string;
  campaign: string;
  form: FormId;
  round: string;
  currentId: string;
  version: number;
  submittedAt: string;
  late: boolean;
  contactName: string;
  /** The current submission's contact phone and 数据截至 (null on pointers written before they were kept). */
  contactPhone: string | null;
  asOf: string | null;
  rowCount: number;
  /** Row JSON bytes of the current submission (0 when not recorded). */
  bytes: number;
  summary: Record<string, number>;
  /** The newest review of the current submission; the next submission of this form and round removes it. */
  review: Review | null;
  /** Row count of each stored chunk of the current submission (null on pointers written before it was kept). */
  chunks: number[] | null;
}

/** A review request's Idempotency-Key: whose (the reviewing unit), the key, and a hash of what it asked. */
export interface ReviewRequestKey {
  scope: string;
  key: string;
  bodyHash: string;
}

/** The review a request wrote, and the hash of what it asked (another body under the same key is refused). */
export interface StoredReviewRequest {
  review: Review;
  bodyHash: string;
}

/** Which pointer a review applies to: the reviewed submission's unit, campaign, form and round. */
export interface ReviewTarget {
  unit: string;
  campaign: string;
  form: FormId;
  round: string;
}

/** Per unit and form: the newest and the first accepted submission (any round). */
export interface FormState {
  latestId: string | null;
  firstId: string | null;
  /** The newest round the unit has a current submission for (its top pointer), or null. */
  topRound: string | null;
}

export interface IdempotencyRecord {
  submissionId: string;
  bodyHash: string;
}

/** What putRows stored for a submission not yet committed. */
export interface StoredRows {
  /** Row count of each chunk, in order. */
  chunks: number[];
  /** Bytes of the rows as JSON lines. */
  bytes: number;
  /**
   * How many leading chunks (0 … n-1) carry `expiresAt` (DynamoDB TTL), so that rows of a submission that
   * never commits (a lost race, a crash) go away; the commit clears it in its own transaction. All chunks
   * unless the submission is too large for that transaction (see MAX_EXPIRING_* in dynamo.ts).
   */
  expiringChunks: number;
}

export interface CommitInput {
  header: SubmissionHeader;
  /** As putRows returned it: the commit clears `expiresAt` on these leading chunks. */
  expiringChunks: number;
  /** The unit's current submission for this form and round as read before computing the receipt. */
  expectedCurrentId: string | null;
  /** The unit's latest submission of this form (any round) as read before computing the receipt. */
  expectedLatestId: string | null;
  /**
   * Its round is the unit's newest for this form so far (not before FormState.topRound): the commit makes it
   * the unit's top pointer too. Decided on the state read with expectedLatestId, which the commit checks.
   */
  raisesTop: boolean;
  idempotency: { scope: string; key: string; bodyHash: string };
}

/** What one sweep removed. */
export interface SweepResult {
  submissions: number;
  chunks: number;
}

/** Why a commit transaction did not go through; nothing was written in any of these cases. */
export type CommitFailure = 'current' | 'latest' | 'idempotency' | 'conflict';

export type CommitResult = { ok: true } | { ok: false; reason: CommitFailure };

export interface Store {
  /** Callback samples, their results and the 回访不满意 flags (store/callbacks.ts). */
  readonly callbacks: CallbackStore;

  listCampaigns(): Promise<CampaignRecord[]>;
  getCampaign(id: string): Promise<CampaignRecord | null>;
  /**
   * The campaigns whose published documents list the unit (as recorded on publishing), or null when no
   * publication recorded the unit (a unit added outside any document, or a table published before the index).
   */
  listCampaignsOf(unit: string): Promise<CampaignRecord[] | null>;
  /**
   * Every version of every form of a campaign, by form then version. With the campaign's `revision` as the caller
   * read it, the answer may come from an earlier read at that revision (what a revision published never changes).
   */
  listFormVersions(campaign: string, revision?: number): Promise<FormVersionRecord[]>;
  /**
   * Publishes a campaign revision and its new form versions in one transaction: all of it or nothing. False when
   * another publication got there first (the stored revision is no longer `campaign.revision - 1`).
   */
  publishCampaign(input: PublishInput): Promise<boolean>;

  getUnit(id: string): Promise<UnitRecord | null>;
  /** Units by id, read together, in the order asked (null where there is none). */
  getUnits(ids: readonly string[]): Promise<(UnitRecord | null)[]>;
  listUnits(): Promise<UnitRecord[]>;
  /**
   * False when the unit exists already. Unless `listed` (the document being published names it), the unit also
   * joins the index of units that may be listed by no campaign, in the same write.
   */
  createUnit(u: UnitRecord, opts?: { listed?: boolean }): Promise<boolean>;
  /**
   * The units that may be listed by no campaign (a superset: readers check against the campaigns), or null when
   * no publication has completed the index yet (a table from before it: read listUnits instead).
   */
  listUnlistedUnits(): Promise<UnitRecord[] | null>;
  /** Adds these units to that index and marks it complete (each publication passes every unit no document lists). */
  indexUnlisted(units: readonly UnitRecord[]): Promise<void>;

  putToken(t: TokenRecord): Promise<void>;
  getTokenByHash(hash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  /** False when no token has this id. */
  revokeToken(id: string): Promise<boolean>;

  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>;
  getFormState(unit: string, campaign: string, form: FormId): Promise<FormState>;
  getPointer(unit: string, campaign: string, form: FormId, round: string): Promise<CurrentPointer | null>;
  /** Every current pointer of a unit in one campaign, or in all (all forms and rounds), rounds ascending. */
  listPointers(unit: string, campaign?: string): Promise<CurrentPointer[]>;
  /**
   * Every unit's top pointer of a campaign (per unit and form: the current submission of its newest round), in
   * one index Query of one item per unit and form. Eventually consistent on AWS (typically well under a second
   * behind): fine for prefecture-wide views.
   */
  listTopPointers(campaign: string): Promise<CurrentPointer[]>;
  /** The unit's current pointer for `round`, else for the newest round before it (carried forward), or null. */
  pointerAtOrBefore(unit: string, campaign: string, form: FormId, round: string): Promise<CurrentPointer | null>;

  /**
   * Starts compressing rows from the JSON text they arrived in while the caller still checks them; once they
   * prove to be the rows to store, putRows takes the result in their place. Unused, it has cost only CPU.
   */
  packRowTexts(texts: RowTexts): PackedRows;
  /** Writes the rows of a not yet committed submission (expiring, see StoredRows). */
  putRows(id: string, rows: unknown[] | PackedRows): Promise<StoredRows>;
  /**
   * Makes a submission current in one conditional transaction, which also keeps its rows for good (clears
   * `expiresAt` on the expiring chunks, on condition that each still exists).
   */
  commit(input: CommitInput): Promise<CommitResult>;

  /**
   * Deletes the rows of submissions whose writing started before `startedBefore` and that never committed (a
   * crash between rows and commit, a 409, a lost race), whatever their size; at most `limit` submissions per call.
   * A commit racing the sweep of its own submission fails instead of publishing missing rows.
   */
  sweepUncommitted(startedBefore: Date, limit?: number): Promise<SweepResult>;
  /** Stores part `part` (the JSON of an array of rows) of the upload `key` of unit `scope`; returns its SHA-256. */
  putPart(scope: string, key: string, part: number, json: Buffer): Promise<string>;
  /** The complete parts 0 … count-1 of that upload by number (expired and half-written ones are absent). */
  getParts(scope: string, key: string, count: number): Promise<Map<number, StoredPart>>;

  getHeader(id: string): Promise<SubmissionHeader | null>;
  /** Rows of chunks [fromChunk, toChunk) (toChunk default: all), in order. */
  getRows(id: string, fromChunk?: number, toChunk?: number): Promise<unknown[]>;
  /**
   * Rows as stored: per chunk asked for (of any submissions, read together), its gzip member (codec.ts), passed
   * on to clients without decompressing it (functions/page.ts). In the order asked.
   */
  getStoredChunks(refs: readonly ChunkRef[]): Promise<Uint8Array[]>;
  /** The unit's submissions, newest first, without their receipts. */
  listHeaders(unit: string): Promise<Omit<SubmissionHeader, 'receipt'>[]>;

  /**
   * Keeps a review for good, marks the target's pointer with it and records the request's Idempotency-Key, in one
   * transaction. `not_current` (nothing written) when the pointer no longer names the reviewed submission;
   * `replayed` (nothing written) when the key was recorded before: getReviewRequest has what it recorded.
   */
  putReview(
    review: Review,
    target: ReviewTarget,
    request: ReviewRequestKey,
  ): Promise<'written' | 'not_current' | 'replayed'>;
  /** What a review request with this key recorded, or null when none did. */
  getReviewRequest(submissionId: string, key: Omit<ReviewRequestKey, 'bodyHash'>): Promise<StoredReviewRequest | null>;
  /** Every review of the unit's submissions, oldest first. */
  listReviews(unit: string): Promise<Review[]>;
  /** The reviews of one submission, oldest first. */
  listSubmissionReviews(id: string): Promise<Review[]>;

  /** Registers (or replaces) the unit's contact person. */
  putContact(unit: string, contact: UnitContact): Promise<void>;
  getContact(unit: string): Promise<UnitContact | null>;
  /** Every unit's registered contact, by unit id (one index Query). */
  listContacts(): Promise<Map<string, UnitContact>>;
}
