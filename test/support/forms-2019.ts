// The 2019 campaign's forms and typed row views, for tests outside forms/.
export * from '../../forms/test/forms-2019';
