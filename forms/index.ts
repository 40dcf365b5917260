export * from './types';
export {
  compileForm,
  campaignForms,
  summedColumns,
  isClosedRow,
  type FormDefinition,
  type ColumnDefinition,
  type RowRuleDefinition,
  type FormCatalog,
} from './spec';
export { rowSchema } from './schemas';
export { validateRows, type ValidatedRows } from './validate';
export { parseSheet, detectForm, type FormChoice, type ParseOptions, type ParsedSheet, type ParsedRow } from './parse';
export {
  renderSheet,
  BLANK_DATE,
  type RenderedSheet,
  type RenderOptions,
  type SheetLayout,
  type DropDown,
  type ExtraColumn,
  type LayoutValue,
} from './render';
export { consolidatedSheet, type ConsolidatedSheetRow, type ConsolidatedUnit } from './consolidated';
export { namesUnit, unitNamed, unitNameKey, type UnitNames } from './unit-name';
export {
  unitIssues,
  unitLineIssue,
  unitRowIssues,
  unitLineCell,
  unitNamesIn,
  UNIT_LINE_KEY,
  type SendingUnit,
} from './unit-check';
export { phoneProblem, PHONE_HINT } from './phone';
export { diffLedger, diffSummary, lockedChanges, caseId, type LedgerChanges, type LockedChange } from './compare';
export {
  campaignRounds,
  nextDueRound,
  dueDeadline,
  isLate,
  isRound,
  HUANGNAN_2019,
  type Campaign,
  type CalendarSpec,
} from './calendar';
export { columnLetter, columnIndex, cellAddress, parseAddress, rangeAddress } from './address';
export { readXlsxSheets, type XlsxSheet } from './xlsx-read';
export { cellText } from './cells';
export {
  drawCallbackSample,
  sampleSeed,
  sampleSize,
  CALLBACK_RATIO,
  type CallbackSample,
  type SampleCandidate,
  type SampleOptions,
  type UnitSample,
} from './sample';
export {
  CALLBACK_COLUMNS,
  CALLBACK_OUTCOMES,
  CALLBACK_WAYS,
  CALLBACK_FLAG_LABEL,
  callbackFlagText,
  callbackSheetLayout,
  callbackSheetName,
  checkCallbackEntry,
  readCallbackSheet,
  type CallbackEntry,
  type CallbackFlag,
} from './callback';
export * from './campaign';
