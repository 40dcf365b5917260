export * from './schema';
export {
  parseCampaignDocument,
  formatDocumentIssues,
  jsonPath,
  type CampaignParseResult,
  type DocumentIssue,
} from './document';
export { HUANGNAN_2019_DOCUMENT, HUANGNAN_2019_FORMS } from './seed';
