// The 2019 黄南州 campaign's forms, as the tests read and render them.
import { HUANGNAN_2019_FORMS } from '../campaign/seed';

export const FORMS_2019 = HUANGNAN_2019_FORMS.forms;
export const FUJIAN1 = HUANGNAN_2019_FORMS.get('fujian1')!;
export const FUJIAN2 = HUANGNAN_2019_FORMS.get('fujian2')!;

/** Typed views of the two forms' rows, for building test data (the product reads rows by the spec's keys). */
export type Closure = '已办结' | '阶段办结' | '正在办理';
export const CLOSURE_VALUES: readonly Closure[] = ['已办结', '阶段办结', '正在办理'];

export type Fujian1Row = {
  seq: number;
  prefecture: string;
  address: string;
  complaint: string;
  currentState: string;
  measures: string;
  progress: string;
  closure: Closure;
};

export type Fujian2Row = {
  unit: string;
  verified: number;
  unfounded: number;
  assigned: number;
  closed: number;
  phaseClosed: number;
  orderedToRectify: number;
  penalized: number;
  fineWan: number;
  investigated: number;
  detainedAdmin: number;
  detainedCriminal: number;
  interviewed: number;
  heldAccountable: number;
};
