// Request/response shapes of DESIGN §4 as the pane uses them. Kept to the fields the pane reads so a backend
// that adds fields does not break it.
import type { FormId, FormRow, Issue } from '../../forms/types';

export interface UnitRef {
  id: string;
  name: string;
}

export interface MeResponse {
  unit: UnitRef & { role?: string };
  role: 'county' | 'prefecture' | 'admin';
  campaign: { id: string; name: string; start: string; end: string; dueDays?: number[] };
  /** The next due round `YYYY-MM-DD`, null after the campaign. */
  nextDue: string | null;
  /** Every round of the campaign, when the server sends them. */
  rounds?: string[];
}

export interface SubmissionRequest {
  form: FormId;
  round: string;
  asOf: string;
  contact: { name: string; phone: string };
  rows: FormRow[];
  basedOn?: string | null;
}

export interface Receipt {
  id: string;
  unit: string;
  form: FormId;
  round: string;
  version: number;
  rowCount: number;
  late: boolean;
  submittedAt: string;
  asOf: string;
  contact?: { name: string; phone: string };
  changes: { added: number; changed: number; newlyClosed: number; rebounds: number; removed: number };
  warnings: Issue[];
}

export interface SubmissionSummary extends Omit<Receipt, 'warnings' | 'changes'> {
  changes?: Receipt['changes'];
  warnings?: Issue[];
}

export interface SubmissionDetail extends SubmissionSummary {
  rows: FormRow[];
}

export interface ConsolidatedPage {
  form: FormId;
  round: string;
  /** Rows of every unit, each with the unit it came from and whether it was carried forward from an earlier round. */
  rows: (FormRow & { unit?: string; unitName?: string; carriedFrom?: string | null })[];
  totals?: Partial<Record<string, number>> | null;
  next?: string | null;
}

export interface StatusEntry {
  unit: string;
  unitName?: string;
  form: FormId;
  state: 'on_time' | 'late' | 'missing';
  submittedAt?: string | null;
  contact?: { name: string; phone?: string } | null;
  version?: number | null;
}

export interface StatusResponse {
  round: string;
  entries: StatusEntry[];
}

export interface StatsEntry {
  unit: string;
  unitName?: string;
  total: number;
  byClosure: Record<string, number>;
  closedRate: number;
  rebounds: number;
  changes?: Partial<Receipt['changes']>;
}

export interface StatsResponse {
  round: string;
  units: StatsEntry[];
}
