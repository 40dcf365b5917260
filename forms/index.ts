export * from './types';
export { FORMS, type FormDefinition, type ColumnDefinition, type ColumnKind } from './definitions';
export { rowSchema, fujian1RowSchema, fujian2RowSchema } from './schemas';
export { validateRows, type ValidatedRows } from './validate';
export { parseSheet, detectForm, type ParseOptions, type ParsedSheet, type ParsedRow } from './parse';
export { renderSheet, type RenderedSheet, type RenderOptions } from './render';
export { campaignRounds, nextDueRound, dueDeadline, isLate, isRound, HUANGNAN_2019, type Campaign } from './calendar';
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
export * from './campaign';
export type { CalendarSpec } from './calendar';
