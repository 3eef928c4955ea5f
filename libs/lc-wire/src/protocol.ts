/** The JSON body LimaCharlie POSTs (lc-protocol.md "Request"). */
export interface LcRequestBody {
  version?: number;
  jwt?: string;
  oid?: string;
  mid?: string;
  /** Epoch seconds. */
  deadline?: number;
  etype?: string;
  data?: Record<string, unknown>;
}

/** The JSON a service answers with (HTTP 200). */
export interface LcResponseBody {
  success: boolean;
  retry?: boolean;
  data: Record<string, unknown>;
  error?: string;
  jobs?: LcJob[];
}

export interface LcJob {
  id: string;
  /** Epoch ms, new jobs only. */
  start?: number;
  cause?: string;
  sid?: string[];
  hist?: LcNarration[];
  /** Epoch ms, once closed. */
  end?: number;
}

export interface LcNarration {
  ts: number;
  msg: string;
  attachments: LcAttachment[];
  is_important: boolean;
}

export type LcAttachment =
  | { att_type: 'hex_dump'; caption: string; data: string }
  | { att_type: 'table'; caption: string; headers: string[]; rows: string[][] }
  | { att_type: 'json'; caption: string; data: string }
  | { att_type: 'yaml'; caption: string; data: string };

export const PERIODS = ['1h', '3h', '12h', '24h', '7d', '30d'] as const;

/**
 * Every etype a handler may implement, with the LcHandlerService method (camelCase) it reaches.
 * Looked up by the etype LimaCharlie sends, so it has no prototype: `constructor`, `toString` or
 * `__proto__` are unknown etypes like any other, not Object.prototype's members.
 */
export const HANDLER_ETYPES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    request: 'onRequest',
    detection: 'onDetection',
    log_event: 'onLogEvent',
    deployment_event: 'onDeploymentEvent',
    new_sensor: 'onNewSensor',
    org_install: 'onOrgInstalled',
    org_uninstall: 'onOrgUninstalled',
    service_error: 'onServiceError',
    ...Object.fromEntries(
      PERIODS.flatMap((p) => {
        const n = `${p.slice(0, -1)}${p.endsWith('h') ? 'Hour' : 'Day'}`;
        return [
          [`once_per_${p}`, `every${n}Globally`],
          [`org_per_${p}`, `every${n}PerOrg`],
          [`sensor_per_${p}`, `every${n}PerSensor`],
        ];
      }),
    ),
  }),
);

export const NOT_IMPLEMENTED: LcResponseBody = {
  success: false,
  retry: false,
  data: { error: 'not implemented' },
};
