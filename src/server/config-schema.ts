/**
 * The JSON Schema of callflow.yaml. It validates the file, documents every setting (descriptions), and is
 * written to grammar/callflow-config.schema.json for editors.
 */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'callflow server configuration (callflow.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    flows: { type: 'array', items: { type: 'string' }, description: 'Directories (or files) of flows to load and watch.', default: ['./flows'] },
    bundledFlows: { type: 'boolean', description: 'Also load the flows shipped with callflow (flows/ of the package).', default: true },
    watch: { type: 'boolean', description: 'Hot-reload flows when their files change.', default: true },
    engine: { enum: ['embedded', 'drachtio'], description: 'Telephony engine: the embedded SIP + RTP stack, or drachtio-server + FreeSWITCH.', default: 'embedded' },
    store: { type: 'string', description: '"memory", or a redis:// URL shared by several nodes.', default: 'memory' },
    nodeId: { type: 'string', description: 'This node’s name in a cluster (default: hostname-pid).' },
    http: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
        publicUrl: { type: 'string', description: 'Base URL callers use to reach this API (for links in responses).' },
      },
    },
    sip: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 5060 },
        transports: { type: 'array', items: { enum: ['udp', 'tcp', 'tls'] }, default: ['udp', 'tcp'] },
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['cert', 'key'],
          properties: {
            port: { type: 'integer', default: 5061 },
            cert: { type: 'string' },
            key: { type: 'string' },
            verify: {
              type: 'boolean',
              default: true,
              description: 'Check the certificate of TLS servers we connect to, and that it names the host dialled.',
            },
            ca: { type: 'string', description: 'CA certificates (PEM file or text) to trust instead of the bundled roots.' },
          },
        },
        publicAddress: { type: 'string', description: 'Address to advertise in Via and Contact (default: the first external IPv4 when host is a wildcard).' },
        allow: { type: 'array', items: { type: 'string' }, description: 'Source CIDRs allowed to send requests (empty: all).' },
        rateLimit: {
          type: 'object',
          additionalProperties: false,
          properties: { perSecond: { type: 'number', minimum: 1 }, burst: { type: 'number', minimum: 1 } },
        },
        drachtio: {
          type: 'object',
          additionalProperties: false,
          properties: { host: { type: 'string' }, port: { type: 'integer' }, secret: { type: 'string' } },
        },
      },
    },
    rtp: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', default: '0.0.0.0' },
        portMin: { type: 'integer', minimum: 1024, maximum: 65534, default: 20000 },
        portMax: { type: 'integer', minimum: 1025, maximum: 65535, default: 30000 },
        publicAddress: { type: 'string', description: 'Address put in SDP (default: the first external IPv4 when host is a wildcard).' },
        mediaTimeout: { type: 'integer', minimum: 0, description: 'Hang up after this many seconds without RTP (0: never).', default: 60 },
        connectedSend: {
          type: 'boolean',
          description: "Send RTP over a socket connect()ed to the peer once its packets have been received from it (cheaper per packet; other sources' packets are then dropped by the kernel). false: never connect.",
          default: true,
        },
      },
    },
    trunks: {
      type: 'object',
      description: 'Named SIP trunks: where outbound calls go, and which sources inbound calls are tagged with.',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['uri'],
        properties: {
          uri: { type: 'string', description: 'sip: URI of the trunk (host[:port], transport param).' },
          sources: { type: 'array', items: { type: 'string' }, description: 'CIDRs whose INVITEs are tagged with this trunk.' },
          username: { type: 'string' },
          password: { type: 'string' },
          default: { type: 'boolean', description: 'Use this trunk when a dial names none.' },
        },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        bearer: { type: 'array', items: { type: 'string' }, description: 'API keys accepted as `Authorization: Bearer <key>`.' },
        basic: {
          type: 'array',
          description: 'Credentials accepted as `Authorization: Basic`: user/password pairs, or raw tokens (the base64 part).',
          items: {
            oneOf: [
              { type: 'string' },
              { type: 'object', required: ['username', 'password'], additionalProperties: false, properties: { username: { type: 'string' }, password: { type: 'string' } } },
            ],
          },
        },
      },
    },
    flowConfig: {
      type: 'object',
      description: 'Values for the flows’ `config` declarations, per flow name.',
      additionalProperties: { type: 'object' },
    },
    env: { type: 'array', items: { type: 'string' }, description: 'Environment variables flows may read as env.NAME.' },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxCallDuration: { type: 'integer', minimum: 1, description: 'Seconds; calls are hung up after this.', default: 14400 },
        shutdownGrace: { type: 'integer', minimum: 0, description: 'Seconds to let calls finish on SIGTERM.', default: 30 },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      properties: { level: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], default: 'info' } },
    },
  },
} as const;
