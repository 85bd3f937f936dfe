// Schema building blocks shared by schema.ts and the section files beside this one.

/** A duration in seconds with a default and a lower bound. */
export const seconds = (description: string, dflt: number, minimum = 0) =>
  ({ type: 'number', minimum, default: dflt, description }) as const;

/** An object setting with a host and a TCP port. */
export const hostPort = (description: string, dfltHost: string, dfltPort: number) =>
  ({
    type: 'object',
    additionalProperties: false,
    default: {},
    description,
    properties: {
      host: { type: 'string', minLength: 1, default: dfltHost, description: 'Host name or IP address.' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: dfltPort, description: 'TCP port.' },
    },
  }) as const;
