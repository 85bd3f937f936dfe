// Schema building blocks shared by schema.ts and the section files beside this one.

/** A duration in seconds with a default and a lower bound. */
export const seconds = (description: string, dflt: number, minimum = 0) =>
  ({ type: 'number', minimum, default: dflt, description }) as const;
