// The API's bodies come from the backend's own declarations, so the pane and the functions cannot drift apart.
export type {
  ApiErrorBody,
  CampaignInfo,
  Changes,
  ConsolidatedFujian1Row,
  ConsolidatedFujian2Row,
  ConsolidatedResponse,
  Contact,
  HistoryResponse,
  MeResponse,
  Receipt,
  Role,
  RoundStatus,
  StatsResponse,
  StatusResponse,
  SubmissionResponse,
  SubmissionSummary,
  SubmitRequest,
  UnitRoundStatus,
  UnitStats,
} from '../../contract/api';
export { STATUS_LABELS } from '../../contract/api';
