import { Duration, Size } from 'cdk8s';

/** How an agent is invoked. */
export enum AgentMode {
  /** Conversations, through websocket and a2a facades. */
  AGENT = 'agent',
  /** One-shot calls with JSON input and output checked against schemas, through a rest facade (and mcp). */
  FUNCTION = 'function',
}

/** How a function-mode agent asks the model to shape its answer. */
export enum FunctionOutputFormat {
  /** Free text, checked against the output schema afterwards. */
  TEXT = 'text',
  /** The provider's JSON mode: valid JSON, shape not enforced by the provider. */
  JSON = 'json',
  /** The provider's structured output, bound to the output schema. */
  JSON_SCHEMA = 'json_schema',
}

/** What the realtime (duplex) console streams. */
export enum DuplexMode {
  /** Voice only. */
  AUDIO = 'audio',
  /** Voice and the browser's camera (the release's dashboard does not implement video yet). */
  AUDIO_VIDEO = 'audiovideo',
}

/** The dashboard's realtime voice console for the agent. */
export interface DuplexOptions {
  /**
   * What the console streams.
   * @default DuplexMode.AUDIO
   */
  readonly mode?: DuplexMode;
}

/** Width and height in pixels. */
export interface ConsoleDimensions {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/** How images may be compressed. */
export enum ImageCompression {
  /** No compression. */
  NONE = 'none',
  /** Lossless only. */
  LOSSLESS = 'lossless',
  /** Lossy, high quality. */
  LOSSY_HIGH = 'lossy-high',
  /** Lossy, medium quality. */
  LOSSY_MEDIUM = 'lossy-medium',
  /** Lossy, low quality. */
  LOSSY_LOW = 'lossy-low',
}

/** How the provider takes in video. */
export enum VideoProcessing {
  /** As extracted frames. */
  FRAMES = 'frames',
  /** As a transcription. */
  TRANSCRIPTION = 'transcription',
  /** Both frames and transcription. */
  BOTH = 'both',
  /** As video. */
  NATIVE = 'native',
}

/** What the provider accepts of images. */
export interface ConsoleImageRequirements {
  /**
   * Largest image file (whole bytes).
   * @default - no limit announced
   */
  readonly maxSize?: Size;
  /**
   * Largest dimensions; larger images are resized.
   * @default - no limit announced
   */
  readonly maxDimensions?: ConsoleDimensions;
  /**
   * Dimensions that give the best results.
   * @default - none announced
   */
  readonly recommendedDimensions?: ConsoleDimensions;
  /**
   * Formats accepted (`png`, `jpeg`, ...).
   * @default - none announced
   */
  readonly supportedFormats?: string[];
  /**
   * Format that gives the best results.
   * @default - none announced
   */
  readonly preferredFormat?: string;
  /**
   * How images may be compressed.
   * @default - none announced
   */
  readonly compression?: ImageCompression;
}

/** What the provider accepts of video. */
export interface ConsoleVideoRequirements {
  /**
   * Longest video (whole seconds).
   * @default - no limit announced
   */
  readonly maxDuration?: Duration;
  /**
   * Whether a segment of a video may be chosen.
   * @default false
   */
  readonly supportsSegmentSelection?: boolean;
  /**
   * How video is taken in.
   * @default - none announced
   */
  readonly processing?: VideoProcessing;
  /**
   * Time between extracted frames (whole seconds), for frame processing.
   * @default - none announced
   */
  readonly frameExtractionInterval?: Duration;
}

/** What the provider accepts of audio. */
export interface ConsoleAudioRequirements {
  /**
   * Longest recording (whole seconds).
   * @default - no limit announced
   */
  readonly maxDuration?: Duration;
  /**
   * Best sample rate in Hz.
   * @default - none announced
   */
  readonly recommendedSampleRate?: number;
  /**
   * Whether a segment of a recording may be chosen.
   * @default false
   */
  readonly supportsSegmentSelection?: boolean;
  /**
   * Channels the client captures and plays (1 is mono).
   * @default - none announced
   */
  readonly channels?: number;
  /**
   * PCM sample format the client sends, such as `pcm16`.
   * @default - none announced
   */
  readonly format?: string;
}

/** What the provider accepts of documents. */
export interface ConsoleDocumentRequirements {
  /**
   * Most pages processed.
   * @default - no limit announced
   */
  readonly maxPages?: number;
  /**
   * Whether scanned documents are read (OCR).
   * @default false
   */
  readonly supportsOcr?: boolean;
}

/** What the agent's provider accepts of each kind of attachment, for the dashboard to prepare files. */
export interface ConsoleMediaRequirements {
  /**
   * Images.
   * @default - the dashboard's defaults for the provider
   */
  readonly image?: ConsoleImageRequirements;
  /**
   * Video.
   * @default - the dashboard's defaults for the provider
   */
  readonly video?: ConsoleVideoRequirements;
  /**
   * Audio.
   * @default - the dashboard's defaults for the provider
   */
  readonly audio?: ConsoleAudioRequirements;
  /**
   * Documents.
   * @default - the dashboard's defaults for the provider
   */
  readonly document?: ConsoleDocumentRequirements;
}

/** Settings of the dashboard's console for the agent: attachments. */
export interface ConsoleOptions {
  /**
   * MIME types that may be attached (`image/png`, `image/*`).
   * @default - image/*, audio/*, application/pdf, text/plain, text/markdown
   */
  readonly allowedAttachmentTypes?: string[];
  /**
   * File extensions accepted when a browser reports a generic MIME type.
   * @default - inferred from allowedAttachmentTypes
   */
  readonly allowedExtensions?: string[];
  /**
   * Largest attachment.
   * @default Size.mebibytes(10)
   */
  readonly maxFileSize?: Size;
  /**
   * Most attachments of one message, 1 to 20.
   * @default 5
   */
  readonly maxFiles?: number;
  /**
   * What the provider accepts of each kind of attachment.
   * @default - the dashboard's defaults for the provider
   */
  readonly mediaRequirements?: ConsoleMediaRequirements;
}
