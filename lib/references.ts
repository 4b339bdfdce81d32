import { IConstruct } from 'constructs';

/** An Omnia object an AgentRuntime can refer to by name. */
export interface IOmniaReference extends IConstruct {
  /** metadata.name of the object. */
  readonly name: string;
  /**
   * Namespace of the object, when known.
   * @default - the namespace of the object that refers to it
   */
  readonly namespace?: string;
}
