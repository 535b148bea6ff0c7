/** The slice of the provider framework's request and response shapes that the handler uses. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType?: string;
  readonly ResponseURL?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
  /** onEvent's Data, passed on to isComplete by the framework. */
  readonly Data?: Record<string, string | undefined>;
}

export interface OnEventResult {
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, string>;
}

export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}
