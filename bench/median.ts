/** The middle value: figures taken as the median of a few runs, on a machine whose load swings. */
export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
