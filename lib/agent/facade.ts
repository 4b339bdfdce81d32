import { checkArguments } from '../core/jsii-types';

/** Options of the websocket facade. */
export interface WebSocketFacadeOptions {
  /**
   * Container and Service port of the facade.
   * @default 8080
   */
  readonly port?: number;
}

/** The network endpoint clients use to talk to an agent. */
export class Facade {
  /** A websocket endpoint. */
  public static websocket(options: WebSocketFacadeOptions = {}): Facade {
    checkArguments('Facade.websocket', 'cdk8s-omnia.Facade', 'websocket', [options]);
    options = options ?? {}; // null: options left out
    return new Facade('websocket', options.port ?? 8080);
  }

  private constructor(
    /** Protocol of the facade. */
    public readonly type: string,
    /** Port of the facade. */
    public readonly port: number,
  ) {}
}
