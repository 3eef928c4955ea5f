export interface TelemetryOptions {
  /** Which app this process is (resource attribute checkwire.app). */
  app: string;
  /** @default '0.1.0' */
  version?: string;
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /**
   * gRPC methods (by name, e.g. "InsertServiceScore") that get no server span of their own,
   * because the app records them inside another span (the check's).
   */
  untracedGrpcMethods?: string[];
}

export interface Telemetry {
  /** True when spans are exported (an OTLP endpoint is configured and the SDK is not disabled). */
  readonly enabled: boolean;
  /** Exports what is buffered and stops; call last on shutdown. */
  shutdown(): Promise<void>;
}
