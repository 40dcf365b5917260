// jsdom ships no types of its own (and @types/jsdom is not among the packages): the one constructor that
// manifest.ts uses, typed with the standard DOM of TypeScript's lib.
declare module 'jsdom' {
  export class JSDOM {
    constructor(markup?: string, options?: { contentType?: string });
    readonly window: Window & typeof globalThis;
  }
}
